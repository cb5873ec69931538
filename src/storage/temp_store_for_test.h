// Test helper: a SQLite store in a fresh temporary directory with one
// tenant, removed when the helper goes out of scope. Tests of the layers
// above storage (serving, jobs) use it instead of repeating the set-up.
//
//   TempStoreForTest db("engine");
//   db.WriteEvents({event});
//   serving::Engine engine(db.store(), {});
#ifndef TAILOR_STORAGE_TEMP_STORE_FOR_TEST_H_
#define TAILOR_STORAGE_TEMP_STORE_FOR_TEST_H_

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "storage/store.h"
#include "storage/store_url.h"

namespace tailor::storage {

class TempStoreForTest {
 public:
  // The directory is named after `prefix`, the process and the running test.
  explicit TempStoreForTest(const std::string& prefix) {
    const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::path(::testing::TempDir()) /
           (prefix + "_" + std::to_string(::getpid()) + "_" + (info ? info->name() : "none"));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    store_ = *OpenStore("sqlite://" + (dir_ / "t.db").string());
    tenant_ = store_->EnsureTenant("t")->id;
  }
  ~TempStoreForTest() {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  TempStoreForTest(const TempStoreForTest&) = delete;
  TempStoreForTest& operator=(const TempStoreForTest&) = delete;

  Store& store() { return *store_; }
  domain::TenantId tenant() const { return tenant_; }
  const std::filesystem::path& dir() const { return dir_; }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  // Closes the store (e.g. to reopen it as after a restart).
  void Reopen() {
    store_.reset();
    store_ = *OpenStore("sqlite://" + (dir_ / "t.db").string());
  }

  WriteResult Write(WriteBatch batch) { return *store_->WriteSync(tenant_, std::move(batch)); }
  WriteResult WriteEvents(std::vector<domain::Event> events) {
    WriteBatch b;
    b.AppendEvents(std::move(events));
    return Write(std::move(b));
  }

 private:
  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
  domain::TenantId tenant_ = 0;
};

}  // namespace tailor::storage

#endif  // TAILOR_STORAGE_TEMP_STORE_FOR_TEST_H_
