#include "models/recsys/model_io.h"

#include <cstring>

#include "absl/strings/str_cat.h"

namespace tailor::recsys {

BinaryWriter::BinaryWriter(const std::string& path)
    : path_(path), out_(path, std::ios::binary | std::ios::trunc) {}

void BinaryWriter::Bytes(const void* data, size_t n) {
  if (buffer_ != nullptr) {
    buffer_->append(static_cast<const char*>(data), n);
    return;
  }
  if (n > 0) out_.write(static_cast<const char*>(data), static_cast<std::streamsize>(n));
}

void BinaryWriter::String(const std::string& s) {
  I64(static_cast<int64_t>(s.size()));
  Bytes(s.data(), s.size());
}

void BinaryWriter::Strings(const std::vector<std::string>& v) {
  I64(static_cast<int64_t>(v.size()));
  for (const std::string& s : v) String(s);
}

void BinaryWriter::FloatVector(const std::vector<float>& v) {
  I64(static_cast<int64_t>(v.size()));
  Bytes(v.data(), v.size() * sizeof(float));
}

void BinaryWriter::DenseMatrix(const Eigen::MatrixXf& m) {
  I64(m.rows());
  I64(m.cols());
  Bytes(m.data(), static_cast<size_t>(m.size()) * sizeof(float));
}

void BinaryWriter::RowMajorMatrix(
    const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>& m) {
  I64(m.rows());
  I64(m.cols());
  Bytes(m.data(), static_cast<size_t>(m.size()) * sizeof(float));
}

void BinaryWriter::SparseMatrix(const InteractionMatrix& m) {
  InteractionMatrix c = m;
  c.makeCompressed();
  I64(c.rows());
  I64(c.cols());
  I64(c.nonZeros());
  Bytes(c.outerIndexPtr(), static_cast<size_t>(c.rows() + 1) * sizeof(int32_t));
  Bytes(c.innerIndexPtr(), static_cast<size_t>(c.nonZeros()) * sizeof(int32_t));
  Bytes(c.valuePtr(), static_cast<size_t>(c.nonZeros()) * sizeof(float));
}

absl::Status BinaryWriter::Close() {
  if (buffer_ != nullptr) return absl::OkStatus();
  out_.close();
  if (!out_) return absl::InternalError(absl::StrCat("cannot write model file ", path_));
  return absl::OkStatus();
}

BinaryReader::BinaryReader(const std::string& path) : in_(path, std::ios::binary) {
  if (!in_) {
    status_ = absl::NotFoundError(absl::StrCat("cannot open model file ", path));
    return;
  }
  in_.seekg(0, std::ios::end);
  remaining_ = static_cast<uint64_t>(in_.tellg());
  in_.seekg(0, std::ios::beg);
}

bool BinaryReader::CanRead(uint64_t count, uint64_t size) {
  if (!status_.ok()) return false;
  if (size != 0 && count > remaining_ / size) {
    status_ = absl::DataLossError("model file is truncated or corrupt");
    return false;
  }
  return true;
}

void BinaryReader::Bytes(void* data, size_t n) {
  if (!CanRead(n, 1)) {
    std::memset(data, 0, n);
    return;
  }
  if (in_memory_) {
    if (n > 0) std::memcpy(data, memory_.data() + (memory_.size() - remaining_), n);
    remaining_ -= n;
    return;
  }
  in_.read(static_cast<char*>(data), static_cast<std::streamsize>(n));
  remaining_ -= n;
  if (!in_) status_ = absl::DataLossError("model file read failed");
}

uint32_t BinaryReader::U32() {
  uint32_t v = 0;
  Bytes(&v, sizeof v);
  return v;
}
int64_t BinaryReader::I64() {
  int64_t v = 0;
  Bytes(&v, sizeof v);
  return v;
}
double BinaryReader::F64() {
  double v = 0;
  Bytes(&v, sizeof v);
  return v;
}

std::string BinaryReader::String() {
  int64_t n = I64();
  if (n < 0 || !CanRead(static_cast<uint64_t>(n), 1)) return {};
  std::string s(static_cast<size_t>(n), '\0');
  Bytes(s.data(), s.size());
  return s;
}

std::vector<std::string> BinaryReader::Strings() {
  int64_t n = I64();
  // Every string takes at least its 8-byte length.
  if (n < 0 || !CanRead(static_cast<uint64_t>(n), sizeof(int64_t))) return {};
  std::vector<std::string> v(static_cast<size_t>(n));
  for (std::string& s : v) s = String();
  if (!status_.ok()) return {};
  return v;
}

std::vector<float> BinaryReader::FloatVector() {
  int64_t n = I64();
  if (n < 0 || !CanRead(static_cast<uint64_t>(n), sizeof(float))) return {};
  std::vector<float> v(static_cast<size_t>(n));
  Bytes(v.data(), v.size() * sizeof(float));
  return v;
}

Eigen::MatrixXf BinaryReader::DenseMatrix() {
  int64_t r = I64(), c = I64();
  if (r < 0 || c < 0 || (r > 0 && !CanRead(static_cast<uint64_t>(c), sizeof(float) * r))) return {};
  Eigen::MatrixXf m(r, c);
  Bytes(m.data(), static_cast<size_t>(m.size()) * sizeof(float));
  return m;
}

Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>
BinaryReader::RowMajorMatrix() {
  int64_t r = I64(), c = I64();
  if (r < 0 || c < 0 || (r > 0 && !CanRead(static_cast<uint64_t>(c), sizeof(float) * r))) return {};
  Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> m(r, c);
  Bytes(m.data(), static_cast<size_t>(m.size()) * sizeof(float));
  return m;
}

InteractionMatrix BinaryReader::SparseMatrix() {
  int64_t rows = I64(), cols = I64(), nnz = I64();
  if (rows < 0 || cols < 0 || nnz < 0 || !CanRead(static_cast<uint64_t>(rows) + 1, 4) ||
      !CanRead(static_cast<uint64_t>(nnz), 8)) {
    if (status_.ok()) status_ = absl::DataLossError("bad sparse matrix header");
    return {};
  }
  std::vector<int32_t> outer(static_cast<size_t>(rows) + 1), inner(static_cast<size_t>(nnz));
  std::vector<float> values(static_cast<size_t>(nnz));
  Bytes(outer.data(), outer.size() * sizeof(int32_t));
  Bytes(inner.data(), inner.size() * sizeof(int32_t));
  Bytes(values.data(), values.size() * sizeof(float));
  if (!status_.ok()) return {};
  // Validate before trusting the indexes.
  if (outer[0] != 0 || outer[static_cast<size_t>(rows)] != nnz) {
    status_ = absl::DataLossError("corrupt sparse matrix");
    return {};
  }
  std::vector<Triplet> t;
  t.reserve(static_cast<size_t>(nnz));
  for (int64_t r = 0; r < rows; ++r) {
    if (outer[r + 1] < outer[r] || outer[r + 1] > nnz) {
      status_ = absl::DataLossError("corrupt sparse matrix");
      return {};
    }
    for (int32_t k = outer[r]; k < outer[r + 1]; ++k) {
      if (inner[k] < 0 || inner[k] >= cols) {
        status_ = absl::DataLossError("corrupt sparse matrix");
        return {};
      }
      t.emplace_back(static_cast<int32_t>(r), inner[k], values[k]);
    }
  }
  return BuildInteractionMatrix(static_cast<int32_t>(rows), static_cast<int32_t>(cols), t);
}

}  // namespace tailor::recsys
