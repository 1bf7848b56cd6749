//! The `jobguard` command line, run as a user runs it: scan, eval, pack build/lint/keygen/sign/verify.
#![cfg(feature = "cli")]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn jobguard(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jobguard")).args(args).output().expect("runs")
}

fn jobguard_stdin(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_jobguard"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A fresh temporary folder under target/, removed by the test's end is not needed: names are unique.
fn tmp(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn rules_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("rules")
}

const LURE: &str = "캄보디아 현지 근무 상담원 모집. 항공권, 숙소 제공. 월 1500만원 보장. 경력 무관. 텔레그램 문의";

#[test]
fn scan_text_html_and_stdin() {
    let d = tmp("scan");
    std::fs::write(d.join("lure.txt"), LURE).unwrap();
    std::fs::write(
        d.join("page.html"),
        format!("<!doctype html><html><head><title>채용</title></head><body><p>{LURE}</p><script>x=1</script></body></html>"),
    )
    .unwrap();
    let o = jobguard(&[
        "scan",
        "--lang",
        "ko",
        d.join("lure.txt").to_str().unwrap(),
        d.join("page.html").to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let lines: Vec<serde_json::Value> = stdout(&o).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2);
    for v in &lines {
        assert_eq!(v["level"], "danger", "{v}");
        assert!(v["matches"].as_array().unwrap().len() >= 3);
    }
    let o = jobguard_stdin(&["scan", "-"], "Weekly team lunch on Friday.");
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(v["level"], "safe");
}

#[test]
fn scan_jsonl_keeps_ids_and_names_bad_lines() {
    let input = format!(
        "{}\n{}\n",
        serde_json::json!({"id": "a1", "text": LURE}),
        serde_json::json!({"id": 7, "text": "Office manager, Seoul"})
    );
    let o = jobguard_stdin(&["scan", "--jsonl", "-"], &input);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Vec<serde_json::Value> = stdout(&o).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(v[0]["id"], "a1");
    assert_eq!(v[0]["level"], "danger");
    assert_eq!(v[1]["id"], 7);
    assert_eq!(v[1]["level"], "safe");

    let d = tmp("jsonl");
    let f = d.join("bad.jsonl");
    std::fs::write(&f, "{\"text\": \"ok\"}\n{broken\n").unwrap();
    let o = jobguard(&["scan", "--jsonl", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("bad.jsonl:2:"), "{}", stderr(&o));
    let o = jobguard(&["scan", d.join("missing.txt").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("missing.txt"));
}

#[test]
fn eval_prints_rates_per_file_and_language() {
    let d = tmp("eval");
    let f = d.join("mini.jsonl");
    let lines = [
        serde_json::json!({"id": "s1", "lang": "ko", "label": "scam", "text": LURE}),
        serde_json::json!({"id": "s2", "lang": "ko", "label": "scam", "text": "안녕하세요"}),
        serde_json::json!({"id": "l1", "lang": "en", "label": "legit", "text": "Accountant wanted, Busan office, 4 years experience."}),
    ];
    std::fs::write(&f, lines.iter().map(|l| l.to_string() + "\n").collect::<String>()).unwrap();
    let o = jobguard(&["eval", f.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("flagged 1/2 scam, 0/1 legit"), "{out}");
    // 1 of 2 with its 95% Wilson interval.
    assert!(out.contains("recall  50.0 [ 9.5- 90.5]%"), "{out}");
    assert!(out.contains("worst misses (1)") && out.contains("s2"), "{out}");
    assert!(out.contains("== lang ko") && out.contains("== lang en"), "{out}");
    std::fs::write(&f, "{\"text\": \"x\", \"label\": \"maybe\"}\n").unwrap();
    let o = jobguard(&["eval", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("mini.jsonl:1: label \"maybe\""), "{}", stderr(&o));
}

#[test]
fn pack_build_and_lint() {
    let d = tmp("build");
    let out = d.join("pack.json");
    let o = jobguard(&["pack", "build", rules_dir().to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let p: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(p["schema"], 1);
    assert!(p["rules"].as_array().unwrap().len() > 50);

    // A copy of rules/ with one bad rule: lint names file and line, build refuses the whole pack.
    let bad = d.join("rules");
    copy_dir(&rules_dir(), &bad);
    std::fs::create_dir_all(bad.join("xx")).unwrap();
    std::fs::write(
        bad.join("xx/bad.toml"),
        "# a bad rule\n[[rule]]\nid = \"xx.bad\"\ncategory = \"messenger\"\nweight = 5\nregex = \"(unclosed\"\nexplain.ko = \"x\"\nexplain.en = \"x\"\n",
    )
    .unwrap();
    let o = jobguard(&["pack", "lint", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("xx/bad.toml:2: rule xx.bad: bad regex"), "{}", stdout(&o));
    let o = jobguard(&["pack", "build", bad.to_str().unwrap(), "-o", d.join("never.json").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!d.join("never.json").exists());
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.path().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn keygen_sign_verify_and_refusals() {
    let d = tmp("sign");
    let p = |n: &str| d.join(n).to_str().unwrap().to_string();
    assert!(jobguard(&["pack", "build", rules_dir().to_str().unwrap(), "-o", &p("pack.json")]).status.success());
    let o = jobguard(&["pack", "keygen", "-o", &p("k1")]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(jobguard(&["pack", "keygen", "-o", &p("k2")]).status.success());

    let sign = |version: &str, created: &str, out: &str| {
        let o = jobguard(&[
            "pack",
            "sign",
            "--key",
            &p("k1.secret"),
            "--version",
            version,
            "--created",
            created,
            &p("pack.json"),
            "-o",
            &p(out),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
    };
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    sign("500", &now.to_string(), "v500.json");
    let o = jobguard(&["pack", "verify", "--pubkey", &p("k1.public"), "--min-version", "400", &p("v500.json")]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("ok: pack") && stdout(&o).contains("version 500"));

    // Two key slots: the right key in the second slot still verifies.
    let o = jobguard(&["pack", "verify", "--pubkey", &p("k2.public"), "--pubkey", &p("k1.public"), &p("v500.json")]);
    assert!(o.status.success(), "{}", stderr(&o));

    let refused = |args: &[&str], why: &str| {
        let o = jobguard(args);
        assert_eq!(o.status.code(), Some(1), "accepted: {args:?}");
        assert!(stderr(&o).contains(why), "{args:?}: {}", stderr(&o));
    };
    refused(&["pack", "verify", "--pubkey", &p("k2.public"), &p("v500.json")], "signature does not verify");
    refused(
        &["pack", "verify", "--pubkey", &p("k1.public"), "--min-version", "501", &p("v500.json")],
        "older than the pack in use",
    );
    let tampered = std::fs::read_to_string(p("v500.json")).unwrap().replacen("\\\"weight\\\":", "\\\"weight\\\":1", 1);
    std::fs::write(p("tampered.json"), tampered).unwrap();
    refused(&["pack", "verify", "--pubkey", &p("k1.public"), &p("tampered.json")], "changed after signing");
    let long_ago = (now - 200 * 86_400).to_string();
    sign("501", &long_ago, "expired.json");
    refused(&["pack", "verify", "--pubkey", &p("k1.public"), &p("expired.json")], "expired");
    std::fs::write(p("page.html"), "<html><body>not a pack</body></html>").unwrap();
    refused(&["pack", "verify", "--pubkey", &p("k1.public"), &p("page.html")], "not a signed pack");
}

/// Labelled lines the team wrote for this test, in two sources per class.
fn training_lines(d: &Path) -> PathBuf {
    let f = d.join("train.jsonl");
    let mut body = String::new();
    for i in 0..12 {
        let src = if i % 2 == 0 { "a" } else { "b" };
        let scam = format!("고수익 부업, 하루 {i}시간 재택 알바! 카톡으로 문의 주세요. 초보 가능, 당일 지급");
        let legit = format!("사무 보조 정규직 채용. 경력 {i}년 이상 우대, 4대보험, 주 5일 근무, 이력서 제출");
        body += &serde_json::json!({"lang": "ko", "label": "scam", "source": format!("s{src}#{i}"), "text": scam})
            .to_string();
        body += "\n";
        body += &serde_json::json!({"lang": "ko", "label": "legit", "source": format!("l{src}#{i}"), "text": legit})
            .to_string();
        body += "\n";
    }
    std::fs::write(&f, body).unwrap();
    f
}

#[test]
fn train_is_reproducible_and_eval_cross_validates() {
    let d = tmp("train");
    let data = training_lines(&d);
    let rules = rules_dir();
    let (a, b) = (d.join("a.toml"), d.join("b.toml"));
    for out in [&a, &b] {
        let o = jobguard(&[
            "train",
            "--rules",
            rules.to_str().unwrap(),
            "--folds",
            "2",
            "--bits",
            "16",
            "-o",
            out.to_str().unwrap(),
            data.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(stdout(&o).contains("== lang ko"), "top features per language: {}", stdout(&o));
    }
    let (ta, tb) = (std::fs::read_to_string(&a).unwrap(), std::fs::read_to_string(&b).unwrap());
    assert_eq!(ta, tb, "same lines, same model bytes");
    // `SkdMTQI` is base64 of the magic `JGLM` and format version 2.
    assert!(ta.contains("\nweights = \"SkdMTQI") && ta.contains("category = \"model\""), "{ta}");
    // Cross-validation of the training procedure, per file and language, with intervals.
    let o = jobguard(&["eval", "--cv", "2", "--bits", "16", data.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("fold 2/2"), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("== lang ko") && out.contains("recall ") && out.contains("["), "{out}");
    // Lines of one class only cannot train.
    let one = d.join("one.jsonl");
    std::fs::write(&one, "{\"label\": \"scam\", \"text\": \"x\"}\n").unwrap();
    let o = jobguard(&["train", "--rules", rules.to_str().unwrap(), "-o", "-", one.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("both scam and legit"), "{}", stderr(&o));
}

/// `--combined-steps` places a script's steps on the rules' score plus the step's points: with 220 ordinary
/// Korean lines (enough for steps of their own, also in half of them) the model file says what the rules and model flag out of fold,
/// and `eval --cv` runs the same placement inside each fold.
#[test]
fn combined_steps_are_placed_in_training_and_inside_each_fold() {
    let d = tmp("combined");
    let f = d.join("train.jsonl");
    let mut body = String::new();
    for i in 0..220 {
        let scam =
            format!("고수익 부업 {i}번, 하루 {}시간 재택 알바! 카톡으로 문의 주세요. 초보 가능, 당일 지급", i % 5);
        let legit =
            format!("사무 보조 {i}번 정규직 채용. 경력 {}년 이상 우대, 4대보험, 주 5일 근무, 이력서 제출", i % 7);
        for (label, text) in [("scam", scam), ("legit", legit)] {
            body += &serde_json::json!({"lang": "ko", "label": label, "source": format!("{label}{}#{i}", i % 4), "text": text})
                .to_string();
            body += "\n";
        }
    }
    std::fs::write(&f, body).unwrap();
    let rules = rules_dir();
    let out = d.join("m.toml");
    let args = ["--combined-steps", "0.005:caution,0.02:20", "--folds", "2", "--bits", "16"];
    let mut train = vec!["train", "--rules", rules.to_str().unwrap(), "-o", out.to_str().unwrap()];
    train.extend(args);
    train.push(f.to_str().unwrap());
    let o = jobguard(&train);
    assert!(o.status.success(), "{}", stderr(&o));
    let t = std::fs::read_to_string(&out).unwrap();
    assert!(t.contains("Steps for hangul texts (220 scam, 220 legit)"), "{t}");
    assert!(t.contains("rules + model out of fold: scam "), "{t}");
    assert!(t.contains("[scripts.hangul]"), "{t}");
    let mut eval = vec!["eval", "--cv", "2"];
    eval.extend(["--combined-steps", "0.005:caution,0.02:20", "--bits", "16", f.to_str().unwrap()]);
    let o = jobguard(&eval);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("fold 2/2 trained on") && err.contains("rules + model out of fold"), "{err}");
    // A share outside 0..=1 is refused.
    let o = jobguard(&["eval", "--cv", "2", "--combined-steps", "2:caution", "--bits", "16", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--combined-steps"), "{}", stderr(&o));
}
