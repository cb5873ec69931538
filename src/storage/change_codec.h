// The change log's text form of a WriteBatch (what a committed write
// changed, see Store::ReadChanges), shared by every backend.
//
//   std::string text = EncodeChange(effective_batch);   // in the writer's transaction
//   absl::StatusOr<WriteBatch> batch = DecodeChange(text);
#ifndef TAILOR_STORAGE_CHANGE_CODEC_H_
#define TAILOR_STORAGE_CHANGE_CODEC_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "storage/write_batch.h"

namespace tailor::storage {

// JSON; every op of `batch` with every field (event seq, record version).
std::string EncodeChange(const WriteBatch& batch);
// DataLoss when `text` is not what EncodeChange makes.
absl::StatusOr<WriteBatch> DecodeChange(std::string_view text);

}  // namespace tailor::storage

#endif  // TAILOR_STORAGE_CHANGE_CODEC_H_
