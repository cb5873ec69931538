// BinaryWriter / BinaryReader: little helpers for model files. Values are
// written in the machine's native byte order (x86-64 little endian); a file
// is only read back by the same build family, which the versioned header in
// model.h guards.
//
//   BinaryWriter w(path);  w.U32(7); w.Floats(v.data(), v.size());  RETURN_IF_ERROR(w.Close());
//   BinaryReader r(path);  uint32_t x = r.U32(); ...  RETURN_IF_ERROR(r.status());
//
// Both also work on memory (BinaryWriter(&bytes), BinaryReader(kInMemory,
// bytes)): models kept in the store as blobs.
//
// Reads past the end or absurd lengths set a DataLoss status and return zeros;
// callers check status() once at the end.
#ifndef TAILOR_MODELS_RECSYS_MODEL_IO_H_
#define TAILOR_MODELS_RECSYS_MODEL_IO_H_

#include <Eigen/Dense>
#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "models/recsys/interaction_matrix.h"

namespace tailor::recsys {

// Tag for BinaryReader's in-memory constructor.
struct InMemory {};
inline constexpr InMemory kInMemory{};

class BinaryWriter {
 public:
  explicit BinaryWriter(const std::string& path);
  // Appends to *buffer (which must outlive the writer); Close() never fails.
  explicit BinaryWriter(std::string* buffer) : buffer_(buffer) {}
  void Bytes(const void* data, size_t n);
  void U32(uint32_t v) { Bytes(&v, sizeof v); }
  void I64(int64_t v) { Bytes(&v, sizeof v); }
  void F64(double v) { Bytes(&v, sizeof v); }
  void String(const std::string& s);
  void Strings(const std::vector<std::string>& v);
  void FloatVector(const std::vector<float>& v);
  void DenseMatrix(const Eigen::MatrixXf& m);
  void RowMajorMatrix(
      const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>& m);
  void SparseMatrix(const InteractionMatrix& m);
  absl::Status Close();

 private:
  std::string path_;
  std::ofstream out_;
  std::string* buffer_ = nullptr;
};

class BinaryReader {
 public:
  explicit BinaryReader(const std::string& path);
  // Reads `bytes`, which must outlive the reader.
  BinaryReader(InMemory, std::string_view bytes) : memory_(bytes), in_memory_(true) {
    remaining_ = bytes.size();
  }
  void Bytes(void* data, size_t n);
  uint32_t U32();
  int64_t I64();
  double F64();
  std::string String();
  std::vector<std::string> Strings();
  std::vector<float> FloatVector();
  Eigen::MatrixXf DenseMatrix();
  Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> RowMajorMatrix();
  InteractionMatrix SparseMatrix();
  const absl::Status& status() const { return status_; }

 private:
  // Checks that `count` elements of `size` bytes can still be read.
  bool CanRead(uint64_t count, uint64_t size);

  std::ifstream in_;
  std::string_view memory_;
  bool in_memory_ = false;
  uint64_t remaining_ = 0;
  absl::Status status_;
};

}  // namespace tailor::recsys

#endif  // TAILOR_MODELS_RECSYS_MODEL_IO_H_
