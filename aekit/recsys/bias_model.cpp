#include <aekit/recsys/bias_model.h>

#include <aekit/core/error.h>

#include <cmath>

namespace aekit {

BiasModel BiasModel::fit(const CsrMatrix& by_user, double lambda) {
  BiasModel m;
  const auto& values = by_user.values();
  double sum = 0.0;
  for (float v : values) sum += v;
  m.mu = values.empty() ? 0.0 : sum / static_cast<double>(values.size());
  std::vector<double> item_sum(static_cast<size_t>(by_user.cols()), 0.0), item_n(item_sum.size(), 0.0);
  for (int64_t u = 0; u < by_user.rows(); ++u) {
    const auto cols = by_user.row_cols(u);
    const auto vals = by_user.row_values(u);
    for (size_t k = 0; k < cols.size(); ++k) {
      item_sum[static_cast<size_t>(cols[k])] += vals[k] - m.mu;
      item_n[static_cast<size_t>(cols[k])] += 1.0;
    }
  }
  m.item_bias.resize(item_sum.size());
  for (size_t i = 0; i < item_sum.size(); ++i) m.item_bias[i] = static_cast<float>(item_sum[i] / (lambda + item_n[i]));
  m.user_bias.resize(static_cast<size_t>(by_user.rows()));
  for (int64_t u = 0; u < by_user.rows(); ++u) {
    const auto cols = by_user.row_cols(u);
    const auto vals = by_user.row_values(u);
    double s = 0.0;
    for (size_t k = 0; k < cols.size(); ++k) s += vals[k] - m.mu - m.item_bias[static_cast<size_t>(cols[k])];
    m.user_bias[static_cast<size_t>(u)] = static_cast<float>(s / (lambda + static_cast<double>(cols.size())));
  }
  return m;
}

double BiasModel::predict(int64_t user, int64_t item) const {
  double p = mu;
  if (user >= 0) p += user_bias[static_cast<size_t>(user)];
  if (item >= 0) p += item_bias[static_cast<size_t>(item)];
  return p;
}

nlohmann::json BiasModel::to_json() const {
  return {{"mu", mu}, {"user_bias", user_bias}, {"item_bias", item_bias}};
}

BiasModel BiasModel::from_json(const nlohmann::json& j, int64_t users, int64_t items, const std::string& source) {
  try {
    BiasModel m;
    m.mu = j.at("mu").get<double>();
    m.user_bias = j.at("user_bias").get<std::vector<float>>();
    m.item_bias = j.at("item_bias").get<std::vector<float>>();
    if (static_cast<int64_t>(m.user_bias.size()) != users || static_cast<int64_t>(m.item_bias.size()) != items ||
        !std::isfinite(m.mu))
      fail(source, ": the bias baseline has ", m.user_bias.size(), " user and ", m.item_bias.size(),
           " item biases for ", users, " users and ", items, " items");
    return m;
  } catch (const nlohmann::json::exception&) {
    fail(source, ": the bias baseline in the model metadata is damaged");
  }
}

}  // namespace aekit
