// /v1/items: PUT/GET/DELETE one item, batch upsert, list.
#include <boost/json.hpp>

#include "api/handlers/handlers.h"
#include "common/strings.h"
#include "domain/item.h"
#include "serving/engine.h"

namespace tailor::api {

namespace json = boost::json;

namespace {

constexpr size_t kMaxBatchItems = 10000;

void PutItem(RequestContext& ctx, Respond respond) {
  absl::StatusOr<json::value> body = ctx.JsonBody();
  if (RespondIfError(body.status(), respond, "body")) return;
  absl::StatusOr<domain::Item> item = domain::ParseItem(*body, ctx.param("item_id"));
  if (RespondIfError(item.status(), respond, "body")) return;
  item->updated_at = absl::FromUnixMicros(absl::ToUnixMicros(ctx.env->clock.Now()));
  storage::WriteBatch batch;
  batch.PutItem(*item);
  SubmitWrite(ctx, std::move(batch),
              [item = std::move(*item)](const storage::WriteResult& r) mutable {
                // A replaced item keeps the creation time the store holds.
                item.created_at = r.created_at.empty() ? item.updated_at : r.created_at.front();
                return JsonResponse(200, domain::ItemToJson(item));
              },
              std::move(respond));
}

void BatchItems(RequestContext& ctx, Respond respond) {
  absl::StatusOr<json::value> body = ctx.JsonBody();
  if (RespondIfError(body.status(), respond, "body")) return;
  const json::array* items = nullptr;
  if (body->is_object()) {
    if (const json::value* v = body->get_object().if_contains("items"); v && v->is_array()) {
      items = &v->get_array();
    }
  }
  if (items == nullptr) {
    respond(ProblemFromStatus(InvalidField("items", "must be an array of items"), "items"));
    return;
  }
  if (items->empty() || items->size() > kMaxBatchItems) {
    respond(ProblemFromStatus(
        InvalidField("items", StrCat("must hold 1 to ", kMaxBatchItems, " items")), "items"));
    return;
  }
  FieldErrors errors;
  storage::WriteBatch batch;
  absl::Time now = absl::FromUnixMicros(absl::ToUnixMicros(ctx.env->clock.Now()));
  for (size_t i = 0; i < items->size(); ++i) {
    absl::StatusOr<domain::Item> item = domain::ParseItem((*items)[i], "");
    if (!item.ok()) {
      errors.AddAllWithPrefix(StrCat("items[", i, "]"), item.status());
      continue;
    }
    item->updated_at = now;
    batch.PutItem(*item);
  }
  if (RespondIfError(errors.ToStatus(""), respond, "items")) return;
  SubmitWrite(ctx, std::move(batch),
              [](const storage::WriteResult& r) {
                return JsonResponse(200, json::object{{"upserted", r.upserted}});
              },
              std::move(respond));
}

void GetItem(RequestContext& ctx, Respond respond) {
  absl::StatusOr<domain::Item> item = ctx.env->store.GetItem(ctx.tenant(), ctx.param("item_id"));
  if (RespondIfError(item.status(), respond, "item_id")) return;
  respond(JsonResponse(200, domain::ItemToJson(*item)));
}

void DeleteItem(RequestContext& ctx, Respond respond) {
  storage::WriteBatch batch;
  batch.DeleteItem(ctx.param("item_id"));
  SubmitWrite(ctx, std::move(batch),
              [](const storage::WriteResult& r) {
                return DeletedOrNotFound(r.deleted, "item_id", "item");
              },
              std::move(respond), "item_id");
}

void ListItems(RequestContext& ctx, Respond respond) {
  absl::StatusOr<int> limit = ctx.QueryInt("limit", 100, 1, 1000);
  if (RespondIfError(limit.status(), respond, "limit")) return;
  auto page = ctx.env->store.ListItems(ctx.tenant(), ctx.QueryString("cursor"), *limit);
  if (RespondIfError(page.status(), respond, "cursor")) return;
  RespondPage(respond, "items", *page, domain::ItemToJson);
}

}  // namespace

void AddItemRoutes(Router& router, ServiceEnv& env) {
  // Literal paths first: they win over "{item_id}".
  router.Add("POST", "/v1/items/batch", Access::kWrite, BatchItems);
  router.Add("GET", "/v1/items", Access::kRead, ListItems);
  router.Add("PUT", "/v1/items/{item_id}", Access::kWrite, PutItem);
  router.Add("GET", "/v1/items/{item_id}", Access::kRead, GetItem);
  router.Add("DELETE", "/v1/items/{item_id}", Access::kWrite, DeleteItem);
}

}  // namespace tailor::api
