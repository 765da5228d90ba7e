#include <aekit/recsys/recommender.h>

#include <aekit/core/error.h>
#include <aekit/recsys/ease_vae.h>
#include <aekit/recsys/recommender_kinds.h>
#include <aekit/recsys/row_normalisation.h>

#include <algorithm>
#include <cmath>

namespace aekit {

namespace {

constexpr const char* kMetadataKey = "recommender";
constexpr const char* kRatingsTensor = "recommender.ratings";
constexpr const char* kEasePrefix = "recommender.ease";
// Indices travel as float32: exact up to 2^24.
constexpr int64_t kMaxIndex = int64_t{1} << 24;

}  // namespace

std::vector<CsrEntry> interactions(const Recommender& model, std::span<const CsrEntry> ratings) {
  std::vector<CsrEntry> out;
  for (const CsrEntry& e : ratings)
    if (!model.implicit_threshold) out.push_back(e);
    else if (e.value >= *model.implicit_threshold) out.push_back({e.row, e.col, 1.0f});
    else if (model.low_rating_weight > 0) out.push_back({e.row, e.col, model.low_rating_weight});
  return out;
}

std::vector<CsrEntry> network_input(const Recommender& model, std::span<const CsrEntry> ratings) {
  std::vector<CsrEntry> out = interactions(model, ratings);
  if (model.normalise_rows) l2_normalise_rows(out);
  return out;
}

CsrMatrix network_input(const Recommender& model) {
  const CsrMatrix& r = model.train.by_user;
  if (!model.implicit_threshold && !model.normalise_rows) return r;
  return CsrMatrix::from_entries(r.rows(), r.cols(), network_input(model, r.entries()));
}

void save_recommender(const std::string& path, Recommender& model) {
  if (model.train.users.size() > kMaxIndex || model.train.items.size() > kMaxIndex)
    fail("more than ", kMaxIndex, " users or items: the model file cannot store their indices exactly");
  ModelFile file = to_model_file(model.network);
  nlohmann::json meta{{"kind", model.kind},
                      {"item_rows", model.item_rows},
                      {"cold_fallback", model.cold_fallback},
                      {"rating_range", {model.rating_low, model.rating_high}},
                      {"users", model.train.users.to_json()},
                      {"items", model.train.items.to_json()},
                      {"baseline", model.baseline.to_json()}};
  if (model.implicit_threshold) meta["implicit_threshold"] = *model.implicit_threshold;
  if (model.normalise_rows) meta["normalise_rows"] = true;
  if (model.low_rating_weight > 0) meta["low_rating_weight"] = model.low_rating_weight;
  if (!model.ease.empty()) meta["mix_weight"] = model.mix_weight;
  file.metadata[kMetadataKey] = meta.dump();
  const CsrMatrix& r = model.train.by_user;
  Tensor ratings({std::max<int64_t>(r.nnz(), 1), 3});
  int64_t k = 0;
  for (const CsrEntry& e : r.entries()) {
    ratings.row(k)[0] = static_cast<float>(e.row);
    ratings.row(k)[1] = static_cast<float>(e.col);
    ratings.row(k)[2] = e.value;
    ++k;
  }
  if (k == 0) fail("a recommender needs at least one training rating");
  file.tensors.push_back({kRatingsTensor, std::move(ratings)});
  if (!model.ease.empty()) add_ease_tensors(model.ease, kEasePrefix, file);
  save_model(path, file);
}

bool is_recommender_file(const std::string& path) {
  return load_model(path).metadata.count(kMetadataKey) > 0;
}

Recommender load_recommender(const std::string& path) {
  ModelFile file = load_model(path);
  auto meta_it = file.metadata.find(kMetadataKey);
  if (meta_it == file.metadata.end())
    fail(path, ": not a recommender (train one with aekit train --ratings FILE)");
  Recommender model;
  nlohmann::json meta;
  try {
    meta = nlohmann::json::parse(meta_it->second);
    model.kind = meta.at("kind").get<std::string>();
    model.item_rows = meta.at("item_rows").get<bool>();
    model.cold_fallback = meta.at("cold_fallback").get<bool>();
    model.rating_low = meta.at("rating_range").at(0).get<float>();
    model.rating_high = meta.at("rating_range").at(1).get<float>();
    if (meta.contains("implicit_threshold")) model.implicit_threshold = meta.at("implicit_threshold").get<float>();
    if (meta.contains("normalise_rows")) model.normalise_rows = meta.at("normalise_rows").get<bool>();
    if (meta.contains("low_rating_weight")) model.low_rating_weight = meta.at("low_rating_weight").get<float>();
    if (meta.contains("mix_weight")) model.mix_weight = meta.at("mix_weight").get<float>();
  } catch (const nlohmann::json::exception&) {
    fail(path, ": the recommender metadata is damaged");
  }
  if (!(model.rating_low <= model.rating_high)) fail(path, ": the rating range is damaged");
  if (!(model.low_rating_weight >= 0 && model.low_rating_weight <= 1)) fail(path, ": the low-rating weight is damaged");
  model.train.users = IdMap::from_json(meta["users"], path, "user");
  model.train.items = IdMap::from_json(meta["items"], path, "item");
  const int64_t users = model.train.users.size(), items = model.train.items.size();
  model.baseline = BiasModel::from_json(meta["baseline"], users, items, path);

  const Tensor ratings = file.tensor(kRatingsTensor, path);
  if (ratings.ndim() != 2 || ratings.dim(1) != 3) fail(path, ": '", kRatingsTensor, "' is not an n x 3 table");
  std::vector<CsrEntry> entries;
  entries.reserve(static_cast<size_t>(ratings.rows()));
  for (int64_t k = 0; k < ratings.rows(); ++k) {
    const float u = ratings.row(k)[0], i = ratings.row(k)[1];
    if (!(u >= 0 && u < static_cast<float>(users) && i >= 0 && i < static_cast<float>(items)) ||
        u != std::floor(u) || i != std::floor(i))
      fail(path, ": training rating ", k, " has an index outside the ", users, " users and ", items, " items");
    entries.push_back({static_cast<int64_t>(u), static_cast<int64_t>(i), ratings.row(k)[2]});
  }
  std::sort(entries.begin(), entries.end(), [](const CsrEntry& a, const CsrEntry& b) {
    return a.row != b.row ? a.row < b.row : a.col < b.col;
  });
  for (size_t k = 1; k < entries.size(); ++k)
    if (entries[k].row == entries[k - 1].row && entries[k].col == entries[k - 1].col)
      fail(path, ": a training rating is stored twice");
  model.train.by_user = CsrMatrix::from_entries(users, items, std::move(entries));

  // ease-vae's second part: EASE's B, dense or factored.
  const bool mixed = meta.contains("mix_weight");
  if (mixed != (model.kind == kEaseVaeKind)) fail(path, ": the ease-vae model's parts are damaged");
  if (mixed) {
    if (!(model.mix_weight >= 0 && model.mix_weight <= 1)) fail(path, ": the mix weight is damaged");
    model.ease = read_ease_tensors(file, kEasePrefix, items, path);
  }
  std::erase_if(file.tensors,
                [](const NamedTensor& t) { return t.name == kRatingsTensor || is_ease_tensor(t.name, kEasePrefix); });
  // The loss is the recommender's (recommender_kinds.h), which the plain model reader does not
  // know; files written before it was recorded say mse.
  const auto loss_it = file.metadata.find("loss");
  const std::string loss = loss_it == file.metadata.end() ? std::string() : loss_it->second;
  const auto losses = recommender_loss_names();
  if (std::find(losses.begin(), losses.end(), loss) == losses.end())
    fail(path, ": unknown recommender loss '", loss, "' in the model metadata");
  file.metadata["loss"] = "mse";
  model.network = from_model_file(file, path);
  model.network.loss = loss;
  const int64_t width = model.item_rows ? users : items;
  if (model.network.network->input_size() != width)
    fail(path, ": the network's input has ", model.network.network->input_size(), " units for ", width,
         model.item_rows ? " users" : " items");
  return model;
}

}  // namespace aekit
