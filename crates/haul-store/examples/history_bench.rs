//! `cargo xtask bench history`: the history's queries over a million rows, run
//! through Haul's store and, side by side, the same SQL through the `sqlite3`
//! CLI on the same file. Prints p50/p95 per query kind and the ratio; recording
//! a finished file is timed too. Numbers are printed, never asserted.
//!
//! Usage: `history_bench DB_PATH ROWS`

// A benchmark program: a failure is a crash with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use haul_store::Store;
use haul_store::history::{Bind, HistoryQuery, HistoryRow, search_sql};

const PLATFORMS: &[&str] = &[
    "reddit",
    "xenforo",
    "instagram",
    "tiktok",
    "x",
    "youtube",
    "web",
    "direct",
];
const KINDS: &[&str] = &["image", "video", "audio", "other"];
const SAMPLES: usize = 200;

/// A deterministic word list: syllables joined, about 4000 words.
fn words() -> Vec<String> {
    let syllables = [
        "ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pa", "qui", "dor", "fen", "gal",
        "hes", "jun",
    ];
    let mut out = Vec::new();
    for a in syllables {
        for b in syllables {
            for c in syllables {
                out.push(format!("{a}{b}{c}"));
            }
        }
    }
    out
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn row(i: i64, rng: &mut Rng, words: &[String]) -> HistoryRow {
    let caption: Vec<&str> = (0..8 + rng.below(8))
        .map(|_| words[rng.below(words.len())].as_str())
        .collect();
    let platform = PLATFORMS[rng.below(PLATFORMS.len())];
    let account = &words[rng.below(500)];
    HistoryRow {
        id: 0,
        finished_at: 1_600_000_000_000 + i * 60_000,
        origin: "source".into(),
        platform: Some(platform.into()),
        source_id: Some(1 + rng.below(200) as i64),
        media_id: Some(format!("m{i}")),
        posted_at: Some(1_600_000_000 + i * 60),
        size: Some(10_000 + rng.below(10_000_000) as i64),
        kind: Some(KINDS[rng.below(KINDS.len())].into()),
        blake3: Some(format!("{:064x}", rng.next())),
        url: Some(format!("https://{platform}.example/m/{i}.jpg")),
        path: format!("/data/{platform}/{account}/{i}.jpg"),
        file_name: format!("{i}_{}.jpg", caption[0]),
        account: Some(account.clone()),
        title: Some(caption[..3].join(" ")),
        caption: Some(caption.join(" ")),
        download_id: None,
        task_id: None,
    }
}

fn literal(sql: &str, binds: &[Bind]) -> String {
    let mut out = String::new();
    let mut binds = binds.iter();
    for c in sql.chars() {
        if c == '?' {
            match binds.next() {
                Some(Bind::Int(v)) => out.push_str(&v.to_string()),
                Some(Bind::Text(v)) => out.push_str(&format!("'{}'", v.replace('\'', "''"))),
                None => out.push('?'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    let index = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[index]
}

/// Runs the statements one at a time through one `sqlite3` process and times
/// each from writing it to reading the marker printed after its rows (`.timer`
/// only prints milliseconds, too coarse for sub-millisecond queries; the pipe
/// round trip it adds is a few microseconds).
fn sqlite3_times(db: &Path, statements: &[String]) -> Vec<Duration> {
    use std::io::BufRead;
    const MARK: &str = "@@haul-bench-done";
    let mut child = std::process::Command::new("sqlite3")
        .arg(db)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("sqlite3 is installed");
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let wait_mark = |stdout: &mut std::io::BufReader<std::process::ChildStdout>| {
        let mut line = String::new();
        loop {
            line.clear();
            assert!(
                stdout.read_line(&mut line).unwrap() > 0,
                "sqlite3 ended early"
            );
            if line.trim_end() == MARK {
                return;
            }
        }
    };
    // Warm the process (and its page cache) on the first statement.
    writeln!(stdin, "{};\n.print {MARK}", statements[0]).unwrap();
    stdin.flush().unwrap();
    wait_mark(&mut stdout);
    let mut times = Vec::with_capacity(statements.len());
    for statement in statements {
        let started = Instant::now();
        writeln!(stdin, "{statement};\n.print {MARK}").unwrap();
        stdin.flush().unwrap();
        wait_mark(&mut stdout);
        times.push(started.elapsed());
    }
    drop(stdin);
    let _ = child.wait();
    times
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let db = Path::new(&args[1]);
    let rows: i64 = args[2].parse().unwrap();
    let store = Store::open(db).await.unwrap();
    let history = store.history();
    let words = words();
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let have = history.total().await.unwrap();
    if have < rows {
        let started = Instant::now();
        let mut i = have;
        while i < rows {
            let batch: Vec<HistoryRow> = (i..(i + 10_000).min(rows))
                .map(|n| row(n, &mut rng, &words))
                .collect();
            history.insert_many(&batch).await.unwrap();
            i += batch.len() as i64;
        }
        println!(
            "filled {} rows in {:.1} s",
            rows - have,
            started.elapsed().as_secs_f64()
        );
    }
    store.close().await;
    let store = Store::open(db).await.unwrap();
    let history = store.history();
    let top = history.total().await.unwrap();

    let mut kinds: Vec<(&str, Vec<HistoryQuery>)> = Vec::new();
    let mut rng = Rng(0xfeed_beef_0bad_cafe);
    let newest: Vec<HistoryQuery> = (0..SAMPLES)
        .map(|_| HistoryQuery {
            limit: 50,
            ..HistoryQuery::default()
        })
        .collect();
    kinds.push(("newest 50", newest));
    let filtered: Vec<HistoryQuery> = (0..SAMPLES)
        .map(|_| HistoryQuery {
            text: Some(words[rng.below(words.len())].clone()),
            platform: Some(PLATFORMS[rng.below(PLATFORMS.len())].into()),
            limit: 50,
            ..HistoryQuery::default()
        })
        .collect();
    kinds.push(("words + platform", filtered));
    let kind_since: Vec<HistoryQuery> = (0..SAMPLES)
        .map(|_| HistoryQuery {
            kind: Some(KINDS[rng.below(KINDS.len())].into()),
            source_id: Some(1 + rng.below(200) as i64),
            since: Some(1_600_000_000_000 + rng.below(top as usize) as i64 * 60_000),
            limit: 50,
            ..HistoryQuery::default()
        })
        .collect();
    kinds.push(("source + kind + since", kind_since));
    let pages: Vec<HistoryQuery> = (0..SAMPLES)
        .map(|_| HistoryQuery {
            before: Some(1 + rng.below(top as usize) as i64),
            limit: 50,
            ..HistoryQuery::default()
        })
        .collect();
    kinds.push(("keyset page (deep)", pages));
    let text_pages: Vec<HistoryQuery> = (0..SAMPLES)
        .map(|_| HistoryQuery {
            text: Some(words[rng.below(words.len())][..4].to_string()),
            before: Some(1 + rng.below(top as usize) as i64),
            limit: 50,
            ..HistoryQuery::default()
        })
        .collect();
    kinds.push(("words prefix, keyset page", text_pages));

    println!(
        "\nhistory over {top} rows, {SAMPLES} queries each (ms)\n{:<28} {:>9} {:>9} {:>11} {:>11} {:>7}",
        "query", "haul p50", "haul p95", "sqlite3 p50", "sqlite3 p95", "ratio"
    );
    for (name, queries) in &kinds {
        // Warm both: the page cache holds the file for either.
        let _ = history.search(&queries[0]).await.unwrap();
        let mut haul = Vec::new();
        for query in queries {
            let started = Instant::now();
            let found = history.search(query).await.unwrap();
            haul.push(started.elapsed());
            std::hint::black_box(found);
        }
        let statements: Vec<String> = queries
            .iter()
            .map(|q| {
                let (sql, binds) = search_sql(q);
                literal(&sql, &binds)
            })
            .collect();
        let mut cli = sqlite3_times(db, &statements);
        assert_eq!(cli.len(), statements.len(), "sqlite3 timed every statement");
        let (h50, h95) = (percentile(&mut haul, 0.5), percentile(&mut haul, 0.95));
        let (c50, c95) = (percentile(&mut cli, 0.5), percentile(&mut cli, 0.95));
        println!(
            "{name:<28} {:>9.2} {:>9.2} {:>11.2} {:>11.2} {:>6.2}×",
            ms(h50),
            ms(h95),
            ms(c50),
            ms(c95),
            ms(h95) / ms(c95).max(0.001)
        );
    }

    // Recording a finished file: one row (and its FTS entry) per commit.
    let mut record = Vec::new();
    for n in 0..SAMPLES as i64 {
        let new = row(top + 1 + n, &mut rng, &words);
        let started = Instant::now();
        history.insert(&new).await.unwrap();
        record.push(started.elapsed());
    }
    let (r50, r95) = (percentile(&mut record, 0.5), percentile(&mut record, 0.95));
    println!(
        "\nrecording a finished file: p50 {:.3} ms, p95 {:.3} ms",
        ms(r50),
        ms(r95)
    );
}
