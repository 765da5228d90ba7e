#include "progress.h"

#include <aekit/data/atomic_file.h>

#include <cmath>
#include <cstdio>
#include <sstream>
#include <unistd.h>

namespace aekit::cli {

namespace {
std::string duration(double seconds) {
  char text[32];
  auto s = static_cast<long>(std::lround(seconds));
  if (s >= 3600)
    std::snprintf(text, sizeof text, "%ldh%02ldm", s / 3600, (s / 60) % 60);
  else
    std::snprintf(text, sizeof text, "%ldm%02lds", s / 60, s % 60);
  return text;
}
}  // namespace

ProgressPrinter::ProgressPrinter(std::string metrics_csv)
    : interactive_(isatty(fileno(stderr)) != 0),
      metrics_csv_(std::move(metrics_csv)) {
  metrics_ = "epoch,train_loss,val_loss,lr,seconds,samples_per_second\n";
}

void ProgressPrinter::on_batch(const BatchReport& b) {
  if (!interactive_) return;
  auto now = std::chrono::steady_clock::now();
  if (b.batch != b.batches && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  const double done = static_cast<double>(b.batch) / static_cast<double>(b.batches);
  const double speed = static_cast<double>(b.rows_done) / std::max(b.seconds_in_epoch, 1e-9);
  const double epoch_left = b.seconds_in_epoch / done - b.seconds_in_epoch;
  const double per_epoch = b.seconds_in_epoch / done;
  const double eta = epoch_left + per_epoch * (b.epochs - b.epoch);
  constexpr int kWidth = 24;
  const int filled = static_cast<int>(done * kWidth);
  std::string bar(static_cast<size_t>(filled), '#');
  bar.resize(kWidth, '.');
  std::fprintf(stderr, "\r\033[Kepoch %d/%d [%s] %lld/%lld  loss %.5f  %.0f samples/s  ETA %s", b.epoch, b.epochs,
               bar.c_str(), static_cast<long long>(b.batch), static_cast<long long>(b.batches), b.loss, speed,
               duration(eta).c_str());
  std::fflush(stderr);
}

void ProgressPrinter::on_epoch(const EpochReport& e) {
  total_seconds_ += e.seconds;
  if (interactive_) std::fprintf(stderr, "\r\033[K");
  std::fprintf(stderr, "epoch %d/%d  loss %.6f", e.epoch, e.epochs, e.train_loss);
  for (const LossTerm& t : e.terms) std::fprintf(stderr, "  %s %.6f", t.name.c_str(), t.value);
  if (!std::isnan(e.val_loss)) std::fprintf(stderr, "  val_loss %.6f%s", e.val_loss, e.best ? " *" : "");
  std::fprintf(stderr, "  lr %.3g  %.2fs  %.0f samples/s\n", static_cast<double>(e.lr), e.seconds,
               e.samples_per_second);
  if (!metrics_csv_.empty()) write_metrics(e);
}

void ProgressPrinter::write_metrics(const EpochReport& e) {
  std::ostringstream line;
  line.precision(9);
  line << e.epoch << ',' << e.train_loss << ',';
  if (!std::isnan(e.val_loss)) line << e.val_loss;
  line << ',' << e.lr << ',' << e.seconds << ',' << e.samples_per_second << '\n';
  metrics_ += line.str();
  write_file_atomically(metrics_csv_, [&](std::ostream& out) { out << metrics_; });
}

}  // namespace aekit::cli
