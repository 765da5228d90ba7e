#pragma once
// The recommender's test metrics for people: the model beside its baselines.
#include <aekit/recsys/recommender_eval.h>

namespace aekit::cli {

void print_recommender_evaluation(const RecommenderEvaluation& e);

}  // namespace aekit::cli
