#pragma once
// Checkpoints of a training run, and exact resume. A checkpoint is a safetensors file (the model
// file's writer and reader, so it is checked like any untrusted file and carries data_crc32)
// holding everything the run's future depends on:
//   tensors   "param.<name>"       the parameters
//             "state.<name>"       BatchNorm's running statistics, accumulated gradients (BatchSource)
//             "optimizer.<slot>"   the optimizer's arrays (Adam's exp_avg.0, ...)
//             "best.<name>"        with early stopping: the parameters of the best epoch so far
//   metadata  format "aekit-checkpoint", format_version "1"
//             settings    the options that shape training (JSON), checked on resume
//             data        the training data's size and CRC-32, checked on resume
//             loop        epoch, batch within it, the epoch's loss sums, early-stopping state,
//                         the finished epochs' reports (doubles as hex floats: exact)
//             rng         the loop's generator (shuffling) as Rng::state() writes it
//             generators  the layers' generators (dropout, corruption), JSON array
//             optimizer   its name and step count
// The shuffle order is not stored: a resumed run replays the shuffles from the seed
// (replay_shuffles) and the replayed generator must equal the stored one, which also catches a
// checkpoint of other data or options. Same seed and thread count: a resumed run ends with
// weights byte-identical to an uninterrupted one (tests/cli/cli_checkpoint_test.cpp).
//
// Each checkpoint replaces the previous one atomically (write_file_atomically: temp file, fsync,
// rename, fsync of the directory), so the previous checkpoint stays until the new one is complete;
// temporary files a killed run left beside it are removed when the run starts.
#include <aekit/core/csr_matrix.h>
#include <aekit/core/tensor.h>
#include <aekit/options/train_options.h>
#include <aekit/train/trainer.h>

#include <atomic>
#include <cstdint>
#include <string>

namespace aekit {

struct CheckpointSchedule {
  int epochs = 0;       // > 0: after every this many epochs
  int64_t batches = 0;  // > 0: after every this many batches
  // "" or "0": never; "2": every 2 epochs; "500b": every 500 batches. InputError otherwise.
  static CheckpointSchedule parse(const std::string& text);
};

// Where a run's checkpoints go: --checkpoint, or the model's path with ".ckpt" added.
std::string checkpoint_path(const TrainOptions& options);

// What the training data is, for the check on resume: "60000 x 784, CRC-32 0a1b2c3d".
std::string data_fingerprint(ConstMatrixView x);
std::string data_fingerprint(const CsrMatrix& x);
std::string data_fingerprint(const PreprocessedRows& x);  // the same text as for the same rows as floats

// The control that saves checkpoints as `options` ask (--checkpoint-every, and whenever `stop` is
// set), resumes from --resume (checked against `options` and `fingerprint` before anything is
// restored), and removes stale temporary files of the checkpoint path. Checks the flags and, with
// --resume, reads the checkpoint now, so a bad one fails before training starts.
TrainControl checkpoint_control(const TrainOptions& options, const std::string& fingerprint,
                                const std::atomic<int>* stop);
// The same with the fingerprint computed only when first needed (a save, or the check on resume).
TrainControl checkpoint_control(const TrainOptions& options, std::function<std::string()> compute_fingerprint,
                                const std::atomic<int>* stop);

}  // namespace aekit
