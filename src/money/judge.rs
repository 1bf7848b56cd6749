//! Thresholds: whether an amount read as pay is pay at all, judged against the pack's monthly threshold for its
//! currency (`rules/salary.toml`). Job ads state yearly pay without saying so far more often than they promise
//! monthly sums many times the threshold, and sums far beyond any promise are a company's revenue or funding.

/// An amount without a stated period this many times the threshold is read as yearly.
pub(super) const YEARLY_FACTOR: f64 = 8.0;

/// Monthly amounts this many times the currency's threshold are not pay but revenue, funding or sales.
pub(super) const IMPLAUSIBLE_FACTOR: f64 = 25.0;

/// The monthly pay an amount stands for, or `None` when it cannot be pay. `monthly`: the amount times its
/// period's months-per-unit; `explicit`: whether a period was written; `threshold`: the currency's monthly
/// threshold, when the pack judges that currency.
pub(super) fn monthly(monthly: f64, explicit: bool, threshold: Option<f64>) -> Option<f64> {
    let Some(t) = threshold else { return Some(monthly) };
    let monthly = if !explicit && monthly >= YEARLY_FACTOR * t { monthly / 12.0 } else { monthly };
    // Still that far above even when read as yearly ("raised $30 million", "over $2 million in sales"), or
    // beyond any promise even with a period ("연 매출 300억원"): a company's revenue or funding.
    let implausible = (!explicit && monthly >= YEARLY_FACTOR * t) || monthly >= IMPLAUSIBLE_FACTOR * t;
    (!implausible).then_some(monthly)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unstated_periods_far_above_the_threshold_read_as_yearly() {
        assert_eq!(monthly(5_000.0, false, Some(6_000.0)), Some(5_000.0));
        assert_eq!(monthly(60_000.0, false, Some(6_000.0)), Some(5_000.0));
        // With a period written, the amount stands as it is.
        assert_eq!(monthly(60_000.0, true, Some(6_000.0)), Some(60_000.0));
    }

    #[test]
    fn company_sums_are_not_pay() {
        assert_eq!(monthly(30e6, false, Some(6_000.0)), None, "raised $30 million");
        assert_eq!(monthly(300e8, true, Some(6e6)), None, "연 매출 300억원 (even read per year)");
        assert_eq!(monthly(149_000.0, true, Some(6_000.0)), Some(149_000.0));
        assert_eq!(monthly(150_000.0, true, Some(6_000.0)), None);
    }

    #[test]
    fn unjudged_currencies_pass_unchanged() {
        assert_eq!(monthly(1e9, false, None), Some(1e9));
    }
}
