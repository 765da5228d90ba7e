#pragma once
// Defaults that follow the data. The literal defaults (784-128-64, sigmoid everywhere) are the
// seeds' MNIST autoencoder and suit images scaled to [0,1]. On a table with 64 features they give
// no compression at all (64-128-64), and sigmoid codes saturate: every code of the digits set lay
// in [0.977, 0.987]. So, for data that is not images, the options the user did not name follow
// the number of features F and the preprocessing:
//
//   architecture  F-h-c with c = clamp(round(F/4), 1, 64) and h = clamp(round(F/2), c+1, 128)
//                 (784 -> 784-128-64, 64 -> 64-32-16, 13 -> 13-7-3)
//   hidden        relu (sigmoid, the literal default, with --pretrain rbm, whose units are Bernoulli)
//   code          identity (a linear code, as PCA's), unless a penalty on the code is asked for
//                 (--sparsity, --contractive), which needs the hidden activation there, or rbm
//                 pretraining
//   output        sigmoid when the targets lie in [0,1] (minmax or scale preprocessing, or a bce
//                 loss), identity otherwise (zscore, none)
//   training      batch 256 halved down to 16 until the data holds 50 batches, and enough epochs
//                 (10 at least, 1000 at most) for about 3000 updates: digits train 54 epochs of 32
//                 (unless --epochs or --batch-size is named)
//
// Images keep the literal defaults, with the input size taken from the data.
#include <aekit/data/dataset.h>
#include <aekit/options/train_options.h>

#include <cstdint>
#include <string>
#include <vector>

namespace aekit {

// Sets the unnamed options of `options` for `data` as described above and returns one line saying
// what was chosen ("" when nothing was). Does nothing for library callers that did not record
// which options were named (options.given is nullopt): they get the literal defaults.
std::string fit_defaults_to_data(TrainOptions& options, const Dataset& data);

// c and h of the rule above, for F features: {F, h, c}.
std::vector<int64_t> tabular_default_sizes(int64_t features);

}  // namespace aekit
