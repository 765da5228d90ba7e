#pragma once
// What aekit eval measures of reconstructing a dataset, in two units: the preprocessed values the
// model trained on (comparable with its training loss) and the data's own units (the
// preprocessing inverted on both sides), so that two models with different preprocessing can be
// compared; and per feature, to say which columns a model reconstructs worst.
#include <aekit/data/preprocessed_rows.h>
#include <aekit/models/trained_model.h>

#include <vector>

namespace aekit::cli {

struct ErrorSums {
  double mse_per_element = 0, mae_per_element = 0, sse_per_sample = 0, max_sse_per_sample = 0;
  std::vector<double> mse_per_feature;
};

struct ReconstructionMetrics {
  ErrorSums preprocessed;  // in the units the model trained on
  ErrorSums data_units;    // after inverting the preprocessing
  double loss = 0;         // the model's own loss, in preprocessed units
};

// Reconstructs x (preprocessed rows: floats, or bytes preprocessed a chunk at a time) from x itself,
// or from `corrupted` (a corrupted copy of x, preprocessed) when it is not null, chunk by chunk.
ReconstructionMetrics measure_reconstruction(TrainedModel& model, const PreprocessedRows& x, const Tensor* corrupted);

}  // namespace aekit::cli
