//! Scoring a large text on two threads (native builds only): the parts of the pipeline that do not read each
//! other's results run at once, and their results are put together in the order the sequential pipeline
//! produces them, so a verdict is the same byte for byte whichever way it was computed.
//!
//! What runs beside what ([`super::Classifier::score_with`]): the contact indicators (which read only the raw
//! text) beside normalising and everything after it; then the learned model's analysis (which reads only the
//! normalised text) beside the phrases, regexes, links and pay. The Wasm build has no threads: it always runs
//! the two sides one after the other, and this module adds no code to it.

/// Texts at least this long (bytes, before the title and JSON-LD are added) are scored on two threads.
///
/// Starting and joining a scoped thread costs tens of microseconds (its stack is mapped and unmapped); scoring
/// 16 KB takes about 0.35 ms, of which running the model and the indicators beside the rest saves about a third.
/// Shorter texts (the service's and the extension's usual postings, 1-14 KB) stay on the caller's thread and
/// cost nothing extra.
pub(super) const PARALLEL_MIN_BYTES: usize = 16 * 1024;

/// Whether a text of `len` bytes is scored on two threads: never in the Wasm build, else when it is long enough
/// to pay for a thread ([`PARALLEL_MIN_BYTES`]). The one place the choice is made.
pub(super) fn parallel_for(len: usize) -> bool {
    cfg!(not(target_arch = "wasm32")) && len >= PARALLEL_MIN_BYTES
}

/// Runs `a` and `b` and returns both results: `a` on a scoped thread of its own when `parallel` is set, else
/// one after the other on this thread. Neither may depend on the other's work, so the results are the same
/// either way.
///
/// `a` is borrowed by the thread rather than moved into it, so that if the system will not start a thread it
/// still runs here. A panic in `a` resumes on this thread, as it would have without one.
pub(super) fn join<RA: Send, RB>(parallel: bool, a: impl Fn() -> RA + Sync, b: impl FnOnce() -> RB) -> (RA, RB) {
    #[cfg(not(target_arch = "wasm32"))]
    if parallel {
        return std::thread::scope(|s| {
            let spawned = std::thread::Builder::new().spawn_scoped(s, &a);
            let rb = b();
            let ra = match spawned {
                Ok(thread) => thread.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                Err(_) => a(),
            };
            (ra, rb)
        });
    }
    #[cfg(target_arch = "wasm32")]
    let _ = parallel;
    (a(), b())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_ways_return_both_results_in_place() {
        let data: Vec<u32> = (0..1000).collect();
        for parallel in [false, true] {
            let (sum, max) = join(parallel, || data.iter().sum::<u32>(), || data.iter().max().copied());
            assert_eq!((sum, max), (499_500, Some(999)), "parallel: {parallel}");
        }
    }

    #[test]
    fn a_panic_on_the_thread_reaches_the_caller() {
        let caught = std::panic::catch_unwind(|| join(true, || -> u8 { panic!("on the thread") }, || 1u8));
        let message = caught.expect_err("the panic is resumed").downcast::<&str>().map(|m| *m);
        assert_eq!(message.ok(), Some("on the thread"));
    }

    #[test]
    fn only_large_texts_take_a_thread() {
        assert!(!parallel_for(PARALLEL_MIN_BYTES - 1));
        assert_eq!(parallel_for(PARALLEL_MIN_BYTES), cfg!(not(target_arch = "wasm32")));
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

    /// Scores `input` one way after the other and the other way round, as `score_with` would with or without
    /// threads.
    fn both_ways(c: &Classifier, input: &PageInput) -> (Verdict, Verdict) {
        let text = super::super::truncate(&input.text, super::super::MAX_TEXT_BYTES);
        let end16 = text.encode_utf16().count() as u32;
        let mut all = format!("{text}\n\n");
        if let Some(t) = &input.title {
            all.push_str(t);
            all.push('\n');
        }
        let score = |parallel| c.score_text(&all, text, end16, &input.links, true, "en", parallel);
        (score(false), score(true))
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
