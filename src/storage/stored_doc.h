// Decoding of stored rows shared by every Store backend: users and items are
// kept as JSON documents (see WriteBatch), event contexts as JSON objects.
#ifndef TAILOR_STORAGE_STORED_DOC_H_
#define TAILOR_STORAGE_STORED_DOC_H_

#include <cstdint>
#include <string_view>

#include "absl/status/statusor.h"
#include "domain/item.h"
#include "domain/user.h"
#include "domain/event.h"

namespace tailor::storage {

// DataLoss when `doc` is not a valid stored user/item document.
absl::StatusOr<domain::User> DecodeStoredUser(std::string_view id, std::string_view doc,
                                              int64_t created_micros, int64_t updated_micros);
absl::StatusOr<domain::Item> DecodeStoredItem(std::string_view id, std::string_view doc,
                                              int64_t created_micros, int64_t updated_micros);
// Sets `event.context` from stored JSON text; text that is not an object is
// ignored (the event keeps an empty context).
void DecodeStoredContext(std::string_view json_text, domain::Event& event);

}  // namespace tailor::storage

#endif  // TAILOR_STORAGE_STORED_DOC_H_
