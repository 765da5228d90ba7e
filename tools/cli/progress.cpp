#include "progress.h"

#include <aekit/data/atomic_file.h>

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <vector>

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

// The width of the terminal on stderr, asked at every redraw so a resized window is followed.
int terminal_columns() {
  winsize size{};
  if (ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 80;
}

// The redrawn line, at most `columns` - 1 characters: a line that reaches the last column makes
// the terminal wrap, and every redraw then leaves a line behind. The bar takes what the numbers
// leave (up to 30); on narrow terminals the least useful fields go first.
std::string progress_line(const BatchReport& b, double eta, double speed, int columns) {
  const int room = std::max(columns - 1, 1);
  const double done = static_cast<double>(b.batch) / static_cast<double>(b.batches);
  char text[160];
  std::snprintf(text, sizeof text, "epoch %d/%d", b.epoch, b.epochs);
  const std::string head = text;
  std::snprintf(text, sizeof text, " %lld/%lld", static_cast<long long>(b.batch), static_cast<long long>(b.batches));
  std::vector<std::string> fields{text};
  std::snprintf(text, sizeof text, "  loss %.5f", b.loss);
  fields.emplace_back(text);
  fields.push_back("  ETA " + duration(eta));
  std::snprintf(text, sizeof text, "  %.0f samples/s", speed);
  fields.emplace_back(text);
  auto tail_width = [&] {
    size_t n = 0;
    for (const std::string& f : fields) n += f.size();
    return static_cast<int>(n);
  };
  constexpr int kMinBar = 10, kMaxBar = 30;
  // Fields go from the end of the list (samples/s, then ETA, ...) while bar and text do not fit.
  while (fields.size() > 1 && static_cast<int>(head.size()) + 3 + kMinBar + tail_width() > room) fields.pop_back();
  std::string line = head;
  const int bar = std::min(kMaxBar, room - static_cast<int>(head.size()) - 3 - tail_width());
  if (bar >= kMinBar) {
    const int filled = static_cast<int>(done * bar);
    line += " [" + std::string(static_cast<size_t>(filled), '#') + std::string(static_cast<size_t>(bar - filled), '.') + "]";
  }
  for (const std::string& f : fields) line += f;
  if (static_cast<int>(line.size()) > room) line.resize(static_cast<size_t>(room));
  return line;
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
  std::fprintf(stderr, "\r\033[K%s", progress_line(b, eta, speed, terminal_columns()).c_str());
  std::fflush(stderr);
  bar_drawn_ = true;
}

ProgressPrinter::~ProgressPrinter() {
  // Interrupted (Ctrl-C, an error) with a bar on screen: the message that follows gets a clean line.
  if (bar_drawn_) std::fprintf(stderr, "\r\033[K");
}

void ProgressPrinter::on_epoch(const EpochReport& e) {
  total_seconds_ += e.seconds;
  if (interactive_) std::fprintf(stderr, "\r\033[K");
  bar_drawn_ = false;
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
