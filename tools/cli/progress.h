#pragma once
// Training progress for people: on a terminal a bar redrawn in place (epoch, batch, loss,
// samples/s, ETA) that fits the terminal's width; otherwise, as in logs and CI, one plain line per epoch. Optionally every
// epoch also goes to a metrics CSV, rewritten atomically so a reader never sees half a file.
#include <aekit/train/trainer.h>

#include <chrono>
#include <cstdio>
#include <string>

namespace aekit::cli {

class ProgressPrinter final : public TrainObserver {
 public:
  explicit ProgressPrinter(std::string metrics_csv);
  ~ProgressPrinter() override;
  ProgressPrinter(const ProgressPrinter&) = delete;
  ProgressPrinter& operator=(const ProgressPrinter&) = delete;
  void on_batch(const BatchReport& batch) override;
  void on_epoch(const EpochReport& epoch) override;

 private:
  void write_metrics(const EpochReport& epoch);
  bool interactive_;
  bool bar_drawn_ = false;  // a bar line is on screen, not yet ended by a newline
  std::chrono::steady_clock::time_point last_draw_{};
  std::string metrics_csv_;
  std::string metrics_;  // CSV text so far
  double total_seconds_ = 0.0;
};

}  // namespace aekit::cli
