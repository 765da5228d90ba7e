#pragma once
// The recommender models `aekit train --ratings` knows, each with its defaults. Choosing one
// (--model NAME or --preset NAME) sets its defaults in the options; flags given with it then
// override them (the options table applies these first).
//   autorec-i       I-AutoRec (Sedhain et al. 2015), the default: each item's ratings by all
//                   users are reconstructed; hidden 300 sigmoid, identity output, squared error
//                   on rated entries, input dropout 0.7 (input_dropout.h), AdamW lr 0.001 weight
//                   decay 1, batch 1024, up to 1000 epochs with early stopping (patience 20) on a
//                   validation carve of 10% of the training ratings; then the carve's best epoch
//                   count trains a network anew on every training rating (--refit)
//   autorec-u       U-AutoRec: the same on each user's ratings of all items, with hidden 500 and
//                   no refit (autorec-i's earlier defaults; not searched over seeds)
//   seed-sae        the seeds' stacked autoencoder exactly: items-20-10-20-items, sigmoid,
//                   identity output, nn.MSELoss over all items with unrated outputs zeroed,
//                   RMSprop lr 0.01 weight_decay 0.5, one update per user in user order, 200
//                   epochs, and gradients that are never zeroed (the seeds' loop has no
//                   zero_grad(), so each step applies the sum of all gradients so far)
//   seed-sae-fixed  the same network trained properly: gradients zeroed every step, the error
//                   averaged over rated entries, weight decay off, early stopping on validation
//   ease            EASE (Steck 2019, ease.h), solved in closed form on the interactions (every
//                   training rating is one); lambda chosen by NDCG@100 on a validation carve of
//                   10% of each user's interactions (--ease-lambda), then solved on all of them;
//                   ranks items, predicts no ratings
//   edlae           EDLAE (Steck 2020, ease.h): EASE trained as a denoising autoencoder, in closed
//                   form, with --input-dropout as its dropout p (default 0.25, chosen on
//                   validation); lambda chosen on the carve as ease's; ranks items, predicts no
//                   ratings
//   mult-dae        Mult-DAE (Liang et al. 2018) on the interactions (every training rating is
//                   one): items-200-items (their code's), tanh, logits out; each user's row
//                   scaled to unit norm with input dropout 0.5; the multinomial log-likelihood
//                   of the row (multinomial_loss.h); Adam lr 0.001, L2 (coupled weight decay)
//                   0.00125, batch 16, early stopping (patience 10) on NDCG@100 of 10% of the
//                   interactions held out; ranks items
//   mult-vae        Mult-VAE (Liang et al. 2018): mult-dae's input and likelihood, one tanh layer
//                   from the items to a variational code (gaussian_sample: 400 means and
//                   log-variances, chosen on validation over their 600-200; the KL per
//                   user annealed over 20 epochs to a cap of 0.2), Adam lr 0.001 without L2,
//                   batch 64, Glorot uniform weights and biases N(0, 0.001) as their code; the
//                   carve's best epoch count then trains a network anew on every interaction
//                   (--refit); ranks items from the posterior mean
//   ease-vae        EASE and Mult-VAE on one input (ease_vae.h): mult-vae's network and training,
//                   ease's closed form beside it, their scores standardised per user and mixed;
//                   the input weighs a rating under the positive threshold (--positive-threshold,
//                   4) as an interaction of weight W chosen on EASE's carve among 0.2, 0.4, 0.6,
//                   0.8 (--interaction-threshold, --low-rating-weight auto; 0 reads every rating
//                   alike, as does data with no rating on one side), the network trained on the
//                   same weighted input; EASE's lambda (--ease-lambda auto) and the network's
//                   share (--mix-weight auto) chosen together on the network's validation carve;
//                   ranks items
//   deeprec         DeepRec (Kuchaiev & Ginsburg 2017): users as rows, SELU on every layer,
//                   dropout on the code and input dropout 0.5 (chosen on validation), one dense
//                   re-feeding step per batch (dense_refeeding.h),
//                   the squared error on rated entries
#include <aekit/options/train_options.h>
#include <aekit/recsys/masked_mse.h>

#include <string>
#include <vector>

namespace aekit {

struct RecommenderKind {
  std::string name;
  bool item_rows;      // rows of the network are items
  bool cold_fallback;  // pairs without training ratings on either side get the bias baseline
  MaskedNormalisation normalisation;
  bool accumulate_gradients;
  bool closed_form = false;  // solved (ease, edlae), not trained
  bool implicit = false;     // reads interactions, not rating values, and predicts no ratings
  bool multinomial = false;  // unit-norm rows, logits over every item, multinomial likelihood
  bool ease_part = false;    // EASE solved beside the network, the scores mixed (ease-vae)
};

// The objective the model is fitted to, as its model file records it (recommender.h):
//   masked_mse     squared error on rated entries (autorec-*, seed-sae-fixed; masked_mse.h)
//   mse            squared error over every item, unrated outputs zeroed (seed-sae, as nn.MSELoss)
//   multinomial    the multinomial log-likelihood of a user's row (mult-*; multinomial_loss.h)
//   least_squares  EASE's ||X - XB||^2 + lambda ||B||^2, solved in closed form
std::string recommender_loss(const RecommenderKind& kind);
// Every name recommender_loss() gives.
std::vector<std::string> recommender_loss_names();

// InputError listing the names when `name` is unknown.
const RecommenderKind& recommender_kind(const std::string& name);
std::vector<std::string> recommender_names();
void apply_recommender_defaults(const std::string& name, TrainOptions& options);

}  // namespace aekit
