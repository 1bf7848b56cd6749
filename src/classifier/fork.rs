//! Scoring a large text on two threads (native builds only; the Wasm build has no threads and does not compile
//! this module): the parts of the pipeline that do not read each other's results run at once, and their results
//! are put together in the order the sequential pipeline ([`Classifier::score_sequential`]) produces them, so a
//! verdict is the same byte for byte whichever way it was computed.
//!
//! What runs beside what: first the contact indicators (which read only the raw text) beside normalising, the
//! text's last two fifths or so normalised on the other thread before them (cut where nothing of normalising
//! crosses, see [`crate::normalize::split`]) and handed over to the caller, who normalises the rest and puts
//! the two together; then the learned model's analysis (which reads only the normalised text) beside the
//! phrases, regexes, links and pay. By instruction counts on the benchmark's 100 KB page the caller does 10.9 M
//! (the head 3.3 M, putting it together with the tail 0.46 M, the rules 6.4 M, combining), the other thread
//! 8.3 M (the tail 2.1 M, the indicators 1.7 M, the model 4.5 M): the first phase is even (3.8 M on each, the
//! model starting as the caller starts the rules); in the second the rules are the longer by 1.9 M, no part of
//! them small enough to move (`docs/budgets.md`, "Scoring speed, seventh pass").
//!
//! The other thread comes from a pool (rayon's, started on first use and kept, one thread fewer than the
//! cores): a scoped thread per phase cost a spawn and a join each (its stack mapped and unmapped), 20 us idle
//! and 55-105 us under load, twice a score. It suits the service too: it scores in its async handlers as
//! blocking work already, and a score waits for what it handed the pool before it returns.

use super::Classifier;
use crate::normalize::{split, Normalized};
use crate::verdict::{Link, Verdict};
use std::sync::atomic::{AtomicBool, Ordering};

/// Texts at least this long (bytes, before the title and JSON-LD are added) are scored on two threads.
///
/// Handing work to the pool's thread costs a wake-up (a scoped thread's spawn and join, before the pool, cost
/// some 20 us idle and 55-105 us under load); scoring 16 KB takes about 0.35 ms, of which running the model and
/// the indicators beside the rest saves about a third. Shorter texts (the service's and the extension's usual
/// postings, 1-14 KB) stay on the caller's thread and cost nothing extra.
pub(super) const PARALLEL_MIN_BYTES: usize = 16 * 1024;

/// Whether a text of `len` bytes is long enough to pay for a thread ([`PARALLEL_MIN_BYTES`]).
pub(super) fn parallel_for(len: usize) -> bool {
    len >= PARALLEL_MIN_BYTES
}

impl Classifier {
    /// What [`Classifier::score_sequential`] returns, computed on two threads.
    pub(super) fn score_parallel(
        &self,
        all: &str,
        text: &str,
        text_end16: u32,
        links: &[Link],
        model: bool,
        lang: &str,
    ) -> Verdict {
        let learned = self.learned.as_ref().filter(|_| model);
        // Phase 1: the spawned thread normalises the text's tail (if it has a cut, see `normalize::split`) and
        // hands it over, then extracts the indicators; this one normalises the head meanwhile and puts the two
        // together. The tail is ready long before the head (two fifths of the text against three), so taking it
        // waits for nothing; and whichever thread comes to the tail first claims it, so that on a loaded machine,
        // where the thread may not even have started by then, the caller normalises the tail itself rather than
        // sleeping until the thread has run (a wake-up costs more than the tail).
        let cut = split::split_point(all);
        let tail_claimed = AtomicBool::new(false);
        let claim = || !tail_claimed.swap(true, Ordering::AcqRel);
        let rest = |norm: Normalized| {
            let (analysis, mut signals) =
                join(|| learned.map(|m| m.probability(&norm, true)), || self.rule_signals(&norm, links));
            // Reported after pay's, where the sequential pipeline reports it: spans are kept in the order they
            // are reported, up to `MAX_MATCHES`.
            if let (Some(m), Some(analysis)) = (learned, analysis) {
                m.report(analysis, &norm, &mut signals);
            }
            self.combine(signals, text_end16, lang)
        };
        let (hand_over, handed) = std::sync::mpsc::sync_channel(1);
        let tail_then_indicators = move || {
            if let Some(at) = cut.filter(|_| claim()) {
                // Fails only if this thread's receiver is gone, which then needs no tail.
                let _ = hand_over.send(Normalized::tail(&all[at..]));
            }
            crate::indicators::extract_from(text, links)
        };
        // Without a pool `join` runs the indicators after the rest, which then claims the tail itself.
        let (indicators, mut verdict) = join(tail_then_indicators, || {
            let norm = match cut {
                Some(at) => {
                    let head = Normalized::head(&all[..at], all.len());
                    // No tail comes from a thread that claimed it only if it panicked (resumed when `join`
                    // returns): normalised here then too.
                    let tail = if claim() {
                        Normalized::tail(&all[at..])
                    } else {
                        handed.recv().unwrap_or_else(|_| Normalized::tail(&all[at..]))
                    };
                    head.joined(tail)
                }
                None => Normalized::new(all),
            };
            rest(norm)
        });
        verdict.indicators = indicators;
        verdict
    }
}

/// Runs `a` on a thread of the pool and `b` on this one, and returns both results. Neither may depend on the
/// other's work.
///
/// A pool rather than a scoped thread per call: spawning and joining a thread maps and unmaps its stack each time
/// (some 20 us on an idle machine, 55-105 us on a loaded one, twice per large score), where a pool's thread only
/// has to be woken. If the system will not start the pool, `a` runs here after `b`. A panic in `a` resumes on this
/// thread, as it would have without one.
fn join<RA: Send, RB>(a: impl FnOnce() -> RA + Send, b: impl FnOnce() -> RB) -> (RA, RB) {
    let Some(pool) = pool() else {
        let rb = b();
        return (a(), rb);
    };
    let mut ra = None;
    // `in_place_scope` runs its body on this thread and waits for what it spawned, so `a` may borrow from here.
    let rb = pool.in_place_scope(|s| {
        s.spawn(|_| ra = Some(a()));
        b()
    });
    (ra.expect("the scope waited for a"), rb)
}

/// The threads [`join`] runs its first closure on, started on first use; `None` if the system would not start them.
fn pool() -> Option<&'static rayon_core::ThreadPool> {
    static POOL: std::sync::OnceLock<Option<rayon_core::ThreadPool>> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        // One thread fewer than the cores, as the caller works too: a spare pool thread spins looking for work
        // before it sleeps, which on 2 cores took time from the caller (62,000 involuntary context switches in
        // 1,000 100 KB pages, 39 with one thread).
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        rayon_core::ThreadPoolBuilder::new()
            .num_threads(cores.saturating_sub(1).max(1))
            .thread_name(|i| format!("jobguard-score-{i}"))
            .build()
            .ok()
    })
    .as_ref()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_returns_both_results() {
        let data: Vec<u32> = (0..1000).collect();
        let (sum, max) = join(|| data.iter().sum::<u32>(), || data.iter().max().copied());
        assert_eq!((sum, max), (499_500, Some(999)));
    }

    #[test]
    fn a_panic_on_the_thread_reaches_the_caller() {
        let caught = std::panic::catch_unwind(|| join(|| -> u8 { panic!("on the thread") }, || 1u8));
        let message = caught.expect_err("the panic is resumed").downcast::<&str>().map(|m| *m);
        assert_eq!(message.ok(), Some("on the thread"));
    }

    #[test]
    fn only_large_texts_take_a_thread() {
        assert!(!parallel_for(PARALLEL_MIN_BYTES - 1));
        assert!(parallel_for(PARALLEL_MIN_BYTES));
    }
}

/// The benchmark's page, for the test below.
#[cfg(all(test, feature = "sources"))]
#[path = "../../benches/common/page.rs"]
mod bench_page;

/// The two ways of scoring give the same verdicts, on the benchmark's page and on random mixed texts.
#[cfg(all(test, feature = "sources"))]
mod same_verdicts {
    use super::bench_page;
    use crate::verdict::{Link, PageInput, Verdict};
    use crate::Classifier;

    /// Scores `input` step after step and on two threads, as `score_with` would for a short and a long text.
    fn both_ways(c: &Classifier, input: &PageInput) -> (Verdict, Verdict) {
        let text = super::super::truncate(&input.text, super::super::MAX_TEXT_BYTES);
        let end16 = text.encode_utf16().count() as u32;
        let mut all = format!("{text}\n\n");
        if let Some(t) = &input.title {
            all.push_str(t);
            all.push('\n');
        }
        (
            c.score_sequential(&all, text, end16, &input.links, true, "en"),
            c.score_parallel(&all, text, end16, &input.links, true, "en"),
        )
    }

    /// A text of random pieces: several scripts, lure words, contacts, pay, spaced-out letters, invisible
    /// characters and paragraph breaks. Written for this test (no dataset text).
    fn mixed(rng: &mut fastrand::Rng, bytes: usize) -> String {
        const PIECES: &[&str] = &[
            "고객 상담 업무, 주 5일 근무. ",
            "해외 근무 가능자, 항공권 숙소 제공 ",
            "월 1,500만원 이상 ",
            "텔 레 그 램 ",
            "t.e.l.e.g.r.a.m ",
            "telegram @recruit_fast ",
            "문의: 010-1234-5678 ",
            "WhatsApp +84 912 345 678 ",
            "kakao open chat https://open.kakao.com/o/sAbCdEf ",
            "apply at https://bit.ly/3xYz12 or hr@example.com ",
            "We are hiring a support specialist in Seoul. ",
            "Easy money, work from home, $500 per day! ",
            "lương 50 triệu/tháng, làm việc tại Campuchia ",
            "岗位职责：客服，月薪三万，包吃住。",
            "高収入、日払い、LINE ID: job_777 ",
            "เงินเดือนสูง ทำงานต่างประเทศ ",
            "ｆｕｌｌｗｉｄｔｈ ｔｅｘｔ ",
            "in\u{200b}vis\u{200b}ible ",
            "e\u{301}te\u{301} ",
            "\n\n",
            "\n",
            "  ",
        ];
        let mut s = String::new();
        while s.len() < bytes {
            s.push_str(PIECES[rng.usize(..PIECES.len())]);
        }
        s
    }

    #[test]
    fn parallel_and_sequential_verdicts_are_identical() {
        let c = Classifier::new(crate::bundled::pack().expect("rules/ compiles")).expect("the pack compiles");
        let mut rng = fastrand::Rng::with_seed(11);
        let mut inputs: Vec<PageInput> = [20_000, 100_000, 400_000]
            .into_iter()
            .map(|n| PageInput { text: bench_page::page(n), lang: Some("ko".into()), ..Default::default() })
            .collect();
        for i in 0..12 {
            let links = (0..rng.usize(0..4))
                .map(|j| Link { href: format!("https://t.me/job{i}_{j}"), text: "apply".into(), node: None })
                .collect();
            let bytes = if i < 2 { 1_500_000 } else { rng.usize(1_000..60_000) };
            let title = Some("Remote job".to_string()).filter(|_| rng.bool());
            inputs.push(PageInput { text: mixed(&mut rng, bytes), title, links, ..Default::default() });
        }
        for input in &inputs {
            let (sequential, parallel) = both_ways(&c, input);
            assert!(sequential.score > 0 || !sequential.matches.is_empty(), "the text exercises the rules");
            assert_eq!(sequential, parallel, "text of {} bytes", input.text.len());
        }
    }
}
