#include <aekit/losses/loss.h>

#include <aekit/core/error.h>
#include <aekit/losses/pointwise_loss.h>

namespace aekit {

std::vector<std::string> loss_names() { return {"mse", "bce", "bce_logits", "l1"}; }

std::unique_ptr<Loss> make_loss(const std::string& name) {
  if (name == "mse") return std::make_unique<MseLoss>();
  if (name == "bce") return std::make_unique<BceLoss>();
  if (name == "bce_logits" || name == "bce-logits") return std::make_unique<BceLogitsLoss>();
  if (name == "l1") return std::make_unique<L1Loss>();
  fail("unknown loss '", name, "' (valid: mse, bce, bce_logits, l1)");
}

}  // namespace aekit
