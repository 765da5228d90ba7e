// The aekit command: dispatch to one verb per file, and the only place where exceptions become
// messages and exit codes (2: bad input or usage, 3: training diverged (NaN or Inf), 1: internal
// failure).
#include "commands.h"
#include "interruption.h"
#include "unknown_option.h"

#include <aekit/core/error.h>
#include <aekit/core/printable.h>
#include <aekit/train/nonfinite.h>
#include <aekit/train/trainer.h>

#include <cstdio>
#include <exception>
#include <filesystem>
#include <new>

int main(int argc, char** argv) {
  aekit::cli::quit_on_signals();
  CLI::App app{"aekit: train and use autoencoders", "aekit"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("aekit ") + AEKIT_VERSION);
  aekit::cli::add_train_command(app);
  aekit::cli::add_eval_command(app);
  aekit::cli::add_encode_command(app);
  aekit::cli::add_decode_command(app);
  aekit::cli::add_reconstruct_command(app);
  aekit::cli::add_info_command(app);
  aekit::cli::add_score_command(app);
  aekit::cli::add_threshold_command(app);
  aekit::cli::add_demo_command(app);
  aekit::cli::add_pca_command(app);
  aekit::cli::add_plot_latent_command(app);
  aekit::cli::add_generate_command(app);
  aekit::cli::add_recommend_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ExtrasError& e) {
    if (const std::string message = aekit::cli::unknown_option_message(app, argc, argv); !message.empty()) {
      std::fprintf(stderr, "aekit: error: %s\n", aekit::printable(message).c_str());
      return 2;
    }
    std::fprintf(stderr, "aekit: error: %s (see aekit --help)\n", aekit::printable(e.what()).c_str());
    return 2;
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "aekit: error: %s (see aekit --help)\n", aekit::printable(e.what()).c_str());
    return 2;
  } catch (const aekit::TrainingInterrupted& e) {
    // Stopped by Ctrl-C or SIGTERM after writing a checkpoint: the shell's code for that signal.
    std::fprintf(stderr, "aekit: %s\n", aekit::printable(e.what()).c_str());
    return 128 + e.signal();
  } catch (const aekit::NonFiniteError& e) {
    // Valid input, failed optimisation: a code of its own, so scripts can retry with other settings.
    std::fprintf(stderr, "aekit: error: %s\n", aekit::printable(e.what()).c_str());
    return 3;
  } catch (const aekit::InputError& e) {
    // Messages quote bytes from the user's files: never let them reach the terminal raw.
    std::fprintf(stderr, "aekit: error: %s\n", aekit::printable(e.what()).c_str());
    return 2;
  } catch (const std::filesystem::filesystem_error& e) {
    // A directory that cannot be created or read: the user's environment, not a bug.
    std::fprintf(stderr, "aekit: error: %s\n", aekit::printable(e.what()).c_str());
    return 2;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "aekit: error: out of memory\n");
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "aekit: internal error: %s\n", aekit::printable(e.what()).c_str());
    return 1;
  }
  return 0;
}
