// `tailor ltv`: customer lifetime value models on the command line.
//
//   tailor ltv fit --input cdnow_customers_summary.csv [--json] [--model bgnbd|gammagamma|both]
//   tailor ltv holdout --transactions CDNOW_sample.txt [--calibration-weeks 39]
//                      [--holdout-weeks 39] [--json]
//
// `fit` reads an RFM CSV (see models/behavior/rfm_io.h for accepted headers)
// and prints maximum-likelihood BG/NBD and/or Gamma-Gamma parameters.
// `holdout` summarises raw CDNOW-format transactions into a calibration and a
// holdout window, fits on calibration and compares predicted with actual
// holdout repeat purchases, in total and by calibration frequency.
// Input errors go to stderr with exit code 2.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <boost/json.hpp>
#include <iostream>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "app/command_registry.h"
#include "common/json_text.h"
#include "models/behavior/bg_nbd.h"
#include "models/behavior/gamma_gamma.h"
#include "models/behavior/holdout_evaluation.h"
#include "models/behavior/rfm.h"
#include "models/behavior/rfm_io.h"

namespace tailor::app {
namespace {

namespace bh = tailor::behavior;

constexpr int kInputError = 2;
constexpr int kFitError = 1;

struct FitArgs {
  std::string input;
  bool json = false;
  std::string model;  // empty: both when the file has a spend column, else bgnbd
};

struct HoldoutArgs {
  std::string transactions;
  int calibration_weeks = 39;
  int holdout_weeks = 39;
  bool json = false;
};

boost::json::object BgNbdJson(const bh::BgNbdFit& fit) {
  return {{"r", fit.params.r},
          {"alpha", fit.params.alpha},
          {"a", fit.params.a},
          {"b", fit.params.b},
          {"log_likelihood", fit.log_likelihood},
          {"customers", fit.customers},
          {"iterations", fit.evaluations},
          {"algorithm", fit.algorithm}};
}

boost::json::object GammaGammaJson(const bh::GammaGammaFit& fit) {
  return {{"p", fit.params.p},          {"q", fit.params.q},
          {"gamma", fit.params.gamma},  {"log_likelihood", fit.log_likelihood},
          {"customers", fit.customers}, {"iterations", fit.evaluations},
          {"algorithm", fit.algorithm}};
}

void PrintBgNbd(const bh::BgNbdFit& fit) {
  fmt::print("BG/NBD (Fader, Hardie & Lee 2005) on {} customers\n", fit.customers);
  fmt::print("  r      {:.6f}\n  alpha  {:.6f}\n  a      {:.6f}\n  b      {:.6f}\n", fit.params.r,
             fit.params.alpha, fit.params.a, fit.params.b);
  fmt::print("  log-likelihood  {:.4f}\n  iterations      {} likelihood evaluations ({})\n",
             fit.log_likelihood, fit.evaluations, fit.algorithm);
}

void PrintGammaGamma(const bh::GammaGammaFit& fit) {
  fmt::print("Gamma-Gamma spend model on {} customers with frequency > 0\n", fit.customers);
  fmt::print("  p      {:.6f}\n  q      {:.6f}\n  gamma  {:.6f}\n", fit.params.p, fit.params.q,
             fit.params.gamma);
  fmt::print("  log-likelihood  {:.4f}\n  iterations      {} likelihood evaluations ({})\n",
             fit.log_likelihood, fit.evaluations, fit.algorithm);
}

int RunFit(const FitArgs& args) {
  absl::StatusOr<bh::RfmTable> table = bh::ReadRfmCsv(args.input);
  if (!table.ok()) {
    std::cerr << "ltv fit: " << args.input << ": " << table.status().message() << "\n";
    return kInputError;
  }
  std::string model = args.model;
  if (model.empty()) model = table->has_monetary ? "both" : "bgnbd";
  const bool want_bgnbd = model != "gammagamma";
  const bool want_gg = model != "bgnbd";
  if (want_gg && !table->has_monetary) {
    std::cerr << "ltv fit: " << args.input << ": --model " << model
              << " needs a monetary_value (or zbar) column\n";
    return kInputError;
  }
  boost::json::object out;
  out["input"] = args.input;
  out["customers"] = table->customers.size();
  if (want_bgnbd) {
    auto fit = bh::FitBgNbd(table->customers);
    if (!fit.ok()) {
      std::cerr << "ltv fit: BG/NBD: " << fit.status().message() << "\n";
      return fit.status().code() == absl::StatusCode::kInvalidArgument ? kInputError : kFitError;
    }
    if (args.json) {
      out["bgnbd"] = BgNbdJson(*fit);
    } else {
      PrintBgNbd(*fit);
    }
  }
  if (want_gg) {
    auto fit = bh::FitGammaGamma(table->customers);
    if (!fit.ok()) {
      std::cerr << "ltv fit: Gamma-Gamma: " << fit.status().message() << "\n";
      return fit.status().code() == absl::StatusCode::kInvalidArgument ? kInputError : kFitError;
    }
    if (args.json) {
      out["gammagamma"] = GammaGammaJson(*fit);
    } else {
      PrintGammaGamma(*fit);
    }
  }
  if (args.json) std::cout << JsonText(out) << "\n";
  return 0;
}

std::string DayString(absl::Time t) { return absl::FormatTime("%Y-%m-%d", t, absl::UTCTimeZone()); }

int RunHoldout(const HoldoutArgs& args) {
  if (args.calibration_weeks <= 0 || args.holdout_weeks < 0) {
    std::cerr << "ltv holdout: --calibration-weeks must be > 0 and --holdout-weeks >= 0\n";
    return kInputError;
  }
  auto transactions = bh::ReadCdnowTransactions(args.transactions);
  if (!transactions.ok()) {
    std::cerr << "ltv holdout: " << args.transactions << ": " << transactions.status().message()
              << "\n";
    return kInputError;
  }
  if (transactions->empty()) {
    std::cerr << "ltv holdout: " << args.transactions << ": no transactions\n";
    return kInputError;
  }
  // Calibration = the first N whole weeks of days starting at the earliest
  // purchase; T is measured up to the last calibration day (the papers'
  // 1997-01-01..1997-09-30 convention, T = 38.86 weeks for a 1 January buyer).
  absl::Time start = transactions->front().time;
  for (const bh::Transaction& t : *transactions) start = std::min(start, t.time);
  const absl::CivilDay first_day = absl::ToCivilDay(start, absl::UTCTimeZone());
  bh::RfmOptions options;
  options.calibration_end =
      absl::FromCivil(first_day + (7 * args.calibration_weeks - 1), absl::UTCTimeZone());
  options.holdout_end = options.calibration_end + absl::Hours(24 * 7 * args.holdout_weeks);
  options.unit = bh::TimeUnit::kWeeks;
  auto customers = bh::SummarizeRfm(*transactions, options);
  if (!customers.ok()) {
    std::cerr << "ltv holdout: " << customers.status().message() << "\n";
    return kInputError;
  }
  auto fit = bh::FitBgNbd(*customers);
  if (!fit.ok()) {
    std::cerr << "ltv holdout: BG/NBD: " << fit.status().message() << "\n";
    return kFitError;
  }
  auto spend = bh::FitGammaGamma(*customers);  // optional: needs repeat buyers
  const double holdout_length = bh::HoldoutLength(options);
  bh::HoldoutComparison cmp = bh::CompareHoldout(fit->params, *customers, holdout_length);
  double calibration_purchases = 0.0;
  for (const bh::CustomerRfm& c : *customers) calibration_purchases += c.frequency;
  const std::string calib_from = DayString(start);
  const std::string calib_to = DayString(options.calibration_end);
  const std::string hold_from = DayString(options.calibration_end + absl::Hours(24));
  const std::string hold_to = DayString(*options.holdout_end);

  if (args.json) {
    boost::json::object out;
    out["transactions_file"] = args.transactions;
    out["calibration"] = {
        {"from", calib_from}, {"to", calib_to}, {"weeks", args.calibration_weeks}};
    out["holdout"] = {{"from", hold_from}, {"to", hold_to}, {"weeks", holdout_length}};
    out["customers"] = cmp.customers;
    out["calibration_repeat_purchases"] = calibration_purchases;
    out["bgnbd"] = BgNbdJson(*fit);
    if (spend.ok()) out["gammagamma"] = GammaGammaJson(*spend);
    out["holdout_actual_total"] = cmp.actual_total;
    out["holdout_predicted_conditional_total"] = cmp.conditional_total;
    out["holdout_predicted_unconditional_total"] = cmp.unconditional_total;
    boost::json::array groups;
    for (const bh::HoldoutGroup& g : cmp.by_frequency) {
      groups.push_back({{"calibration_purchases", g.calibration_purchases},
                        {"open_ended", g.open_ended},
                        {"customers", g.customers},
                        {"actual_mean", g.actual_mean},
                        {"predicted_mean", g.predicted_mean}});
    }
    out["by_calibration_purchases"] = std::move(groups);
    std::cout << JsonText(out) << "\n";
    return 0;
  }
  fmt::print("Calibration {}..{} ({} weeks), holdout {}..{} ({:.2f} weeks)\n", calib_from, calib_to,
             args.calibration_weeks, hold_from, hold_to, holdout_length);
  fmt::print("Customers {}, calibration repeat purchases {:.0f}\n", cmp.customers,
             calibration_purchases);
  PrintBgNbd(*fit);
  if (spend.ok()) PrintGammaGamma(*spend);
  const double actual = cmp.actual_total;
  auto pct = [actual](double v) { return actual > 0 ? 100.0 * (v - actual) / actual : 0.0; };
  fmt::print(
      "Holdout repeat purchases: actual {:.0f}, predicted {:.1f} ({:+.1f}%) conditional on "
      "each history, {:.1f} ({:+.1f}%) unconditional cohort forecast\n",
      actual, cmp.conditional_total, pct(cmp.conditional_total), cmp.unconditional_total,
      pct(cmp.unconditional_total));
  fmt::print("{:>6} {:>10} {:>12} {:>14}\n", "x", "customers", "actual mean", "predicted mean");
  for (const bh::HoldoutGroup& g : cmp.by_frequency) {
    fmt::print("{:>6} {:>10} {:>12.3f} {:>14.3f}\n",
               fmt::format("{}{}", g.calibration_purchases, g.open_ended ? "+" : ""), g.customers,
               g.actual_mean, g.predicted_mean);
  }
  return 0;
}

void AddLtv(CLI::App& app) {
  auto* ltv = app.add_subcommand("ltv", "Customer lifetime value models (BG/NBD, Gamma-Gamma)");
  ltv->require_subcommand(1);

  auto fit_args = std::make_shared<FitArgs>();
  auto* fit = ltv->add_subcommand("fit", "Fit BG/NBD and/or Gamma-Gamma to an RFM summary CSV");
  fit->add_option(
         "--input", fit_args->input,
         "CSV with header ID,frequency,recency,T[,monetary_value|zbar] or ID,x,t_x,T[,zbar]")
      ->required();
  fit->add_flag("--json", fit_args->json, "Print one JSON object on stdout");
  fit->add_option("--model", fit_args->model,
                  "bgnbd, gammagamma or both (default: both if the file has a spend column)")
      ->check(CLI::IsMember({"bgnbd", "gammagamma", "both"}));
  fit->callback([fit_args] { SetExitCode(RunFit(*fit_args)); });

  auto holdout_args = std::make_shared<HoldoutArgs>();
  auto* holdout = ltv->add_subcommand(
      "holdout", "Summarise transactions, fit on calibration, compare with the holdout");
  holdout
      ->add_option("--transactions", holdout_args->transactions,
                   "CDNOW-format file: [master_id] id yyyymmdd number_of_cds dollar_value")
      ->required();
  holdout
      ->add_option("--calibration-weeks", holdout_args->calibration_weeks,
                   "Calibration length in weeks from the first purchase")
      ->capture_default_str();
  holdout->add_option("--holdout-weeks", holdout_args->holdout_weeks, "Holdout length in weeks")
      ->capture_default_str();
  holdout->add_flag("--json", holdout_args->json, "Print one JSON object on stdout");
  holdout->callback([holdout_args] { SetExitCode(RunHoldout(*holdout_args)); });
}

}  // namespace

TAILOR_REGISTER_COMMAND(AddLtv);

}  // namespace tailor::app
