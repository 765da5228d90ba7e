// Preprocessing: each kind maps the training data as documented, invert undoes apply, and the
// JSON form round-trips and is validated like any other input.
#include <aekit/core/error.h>
#include <aekit/data/preprocess.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

namespace aekit {
namespace {

using ::testing::HasSubstr;

// 4 samples x 3 features; feature 2 is constant.
Tensor training_data() {
  Tensor x({4, 3});
  const float v[] = {0, -10, 7, 255, 10, 7, 51, 0, 7, 102, 20, 7};
  for (int i = 0; i < 12; ++i) x[i] = v[i];
  return x;
}

std::string preprocess_error_of(const nlohmann::json& j) {
  try {
    Preprocessor::from_json(j, "model.aekit");
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no InputError for " << j.dump();
  return "";
}

TEST(DataPreprocess, ScaleDividesByMaxAbs) {
  Tensor x = training_data();
  Preprocessor p = Preprocessor::fit(PreprocessKind::Scale, x);
  p.apply(x);
  EXPECT_FLOAT_EQ(x[3], 1.0f);
  EXPECT_FLOAT_EQ(x[1], -10.0f / 255.0f);
  EXPECT_EQ(p.to_json().at("max_abs").get<float>(), 255.0f);
}

TEST(DataPreprocess, MinMaxMapsEachFeatureToUnitRange) {
  Tensor x = training_data();
  Preprocessor::fit(PreprocessKind::MinMax, x).apply(x);
  for (int r = 0; r < 4; ++r) {
    for (int j = 0; j < 3; ++j) {
      EXPECT_GE(x[r * 3 + j], 0.0f);
      EXPECT_LE(x[r * 3 + j], 1.0f);
    }
    EXPECT_EQ(x[r * 3 + 2], 0.0f) << "constant features map to 0";
  }
  EXPECT_FLOAT_EQ(x[3], 1.0f);
  EXPECT_FLOAT_EQ(x[1], 0.0f);
}

TEST(DataPreprocess, ZScoreGivesMeanZeroStdOne) {
  Tensor x = training_data();
  Preprocessor::fit(PreprocessKind::ZScore, x).apply(x);
  for (int j = 0; j < 2; ++j) {
    double sum = 0, squares = 0;
    for (int r = 0; r < 4; ++r) sum += x[r * 3 + j], squares += x[r * 3 + j] * x[r * 3 + j];
    EXPECT_NEAR(sum / 4, 0.0, 1e-6);
    EXPECT_NEAR(squares / 4, 1.0, 1e-5) << "population std";
  }
  for (int r = 0; r < 4; ++r) EXPECT_EQ(x[r * 3 + 2], 0.0f);
}

TEST(DataPreprocess, InvertUndoesApplyForEveryKind) {
  for (PreprocessKind kind : {PreprocessKind::None, PreprocessKind::Scale, PreprocessKind::MinMax, PreprocessKind::ZScore}) {
    Tensor x = training_data();
    Preprocessor p = Preprocessor::fit(kind, x);
    p.apply(x);
    p.invert(x);
    Tensor original = training_data();
    for (int i = 0; i < 12; ++i) EXPECT_NEAR(x[i], original[i], 1e-4) << preprocess_kind_name(kind);
  }
}

TEST(DataPreprocess, JsonRoundTrip) {
  for (PreprocessKind kind : {PreprocessKind::None, PreprocessKind::Scale, PreprocessKind::MinMax, PreprocessKind::ZScore}) {
    Preprocessor p = Preprocessor::fit(kind, training_data());
    Preprocessor q = Preprocessor::from_json(nlohmann::json::parse(p.to_json().dump()), "m");
    EXPECT_EQ(q.kind(), kind);
    EXPECT_EQ(q.features(), 3);
    Tensor a = training_data(), b = training_data();
    p.apply(a);
    q.apply(b);
    for (int i = 0; i < 12; ++i) EXPECT_EQ(a[i], b[i]);
  }
}

TEST(DataPreprocess, ParsesKindNames) {
  EXPECT_EQ(parse_preprocess_kind("zscore"), PreprocessKind::ZScore);
  try {
    parse_preprocess_kind("standard");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("unknown preprocessing 'standard' (valid: none, scale, minmax, zscore)"));
  }
}

TEST(DataPreprocess, FromJsonValidatesEverything) {
  nlohmann::json good = Preprocessor::fit(PreprocessKind::ZScore, training_data()).to_json();
  EXPECT_THAT(preprocess_error_of(nlohmann::json::array()), HasSubstr("model.aekit: preprocessing must be a JSON object"));
  nlohmann::json j = good;
  j["kind"] = "whiten";
  EXPECT_THAT(preprocess_error_of(j), HasSubstr("model.aekit: unknown preprocessing 'whiten'"));
  j = good;
  j["mean"].erase(0);
  EXPECT_THAT(preprocess_error_of(j), HasSubstr("model.aekit: preprocessing field 'mean' must be an array of 3 numbers"));
  j = good;
  j["std"][1] = std::nan("");
  EXPECT_THAT(preprocess_error_of(j), HasSubstr("model.aekit: preprocessing field 'std' element 1 is not a finite number"));
  j = good;
  j["std"][1] = 0.0;
  EXPECT_THAT(preprocess_error_of(j), HasSubstr("element 1 is not positive"));
  j = good;
  j.erase("features");
  EXPECT_THAT(preprocess_error_of(j), HasSubstr("lacks the field 'features'"));
  EXPECT_THAT(preprocess_error_of({{"kind", "scale"}, {"features", 3}, {"max_abs", -1}}), HasSubstr("'max_abs' must be a positive"));
}

TEST(DataPreprocess, RejectsWrongWidthAndEmptyData) {
  Preprocessor p = Preprocessor::fit(PreprocessKind::MinMax, training_data());
  Tensor wide({2, 5});
  EXPECT_THROW(p.apply(wide), InputError);
  EXPECT_THROW(Preprocessor::fit(PreprocessKind::Scale, Tensor({0, 3})), InputError);
  Tensor any({2, 5});
  Preprocessor().apply(any);  // the default identity accepts any width
}

}  // namespace
}  // namespace aekit
