//! `cargo xtask bench library` runs this (release build): Haul's library work
//! side by side with its peers, in one run, printing ratios.
//!
//! - `blake3 FILE`: Haul's BLAKE3 (memory map on the media pool) against `b3sum`.
//! - `phash DIR`: perceptual hashes per second, Haul's pipeline (JPEG decoded at
//!   reduced scale) against a plain `image::open` + image_hasher loop.
//! - `index N`: near-duplicate queries at distance 8 over N hashes, Haul's
//!   multi-index hashing against a BK-tree (the bk-tree crate czkawka uses) and a
//!   plain scan.
//! - `gallery N`: a gallery page with filters over N library items in SQLite.

// A bench binary: a failed unwrap is a failed bench.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("blake3") => blake3_bench(Path::new(&args[1])),
        Some("phash") => phash_bench(Path::new(&args[1])),
        Some("index") => index_bench(args[1].parse().unwrap()),
        Some("gallery") => gallery_bench(args[1].parse().unwrap()),
        _ => eprintln!("usage: library_bench blake3 FILE | phash DIR | index N | gallery N"),
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn percentile(values: &mut [f64], p: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    let at = ((values.len() as f64 - 1.0) * p).round() as usize;
    values[at]
}

fn timed<T>(work: impl FnOnce() -> T) -> (T, f64) {
    let start = Instant::now();
    let out = work();
    (out, start.elapsed().as_secs_f64())
}

fn blake3_bench(file: &Path) {
    let size = std::fs::metadata(file).unwrap().len() as f64 / (1 << 20) as f64;
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let pool = haul_media::MediaPool::new(threads).unwrap();
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    let mut hashes = (String::new(), String::new());
    // One warm-up each (page cache), then interleaved rounds.
    for round in 0..6 {
        let (hash, t) = timed(|| pool.install(|| haul_media::hash_file(file).unwrap()));
        let (out, u) = timed(|| {
            Command::new("b3sum")
                .arg("--no-names")
                .arg(file)
                .output()
                .unwrap()
        });
        assert!(out.status.success(), "b3sum failed");
        hashes = (
            hash.to_hex(),
            String::from_utf8_lossy(&out.stdout).trim().to_string(),
        );
        if round > 0 {
            ours.push(t);
            theirs.push(u);
        }
    }
    assert_eq!(hashes.0, hashes.1, "b3sum and Haul disagree");
    let (ours, theirs) = (median(&mut ours), median(&mut theirs));
    println!("BLAKE3 of {size:.0} MiB, {threads} threads, median of 5:");
    println!("  haul   {:>8.1} MiB/s", size / ours);
    println!("  b3sum  {:>8.1} MiB/s", size / theirs);
    println!("  haul/b3sum speed: {:.2}x (target >= 0.9x)", theirs / ours);
}

fn phash_bench(dir: &Path) {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jpg"))
        .collect();
    files.sort();
    let hasher = image_hasher::HasherConfig::new()
        .hash_size(8, 8)
        .hash_alg(image_hasher::HashAlg::Median)
        .preproc_dct()
        .to_hasher();
    let limits = haul_media::DecodeLimits::default();
    let rounds = 3;
    let (mut plain, mut ours) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let ((), t) = timed(|| {
            for file in &files {
                let image = image::open(file).unwrap();
                std::hint::black_box(hasher.hash_image(&image));
            }
        });
        plain.push(files.len() as f64 / t);
        let ((), u) = timed(|| {
            for file in &files {
                std::hint::black_box(haul_media::perceptual_hash(file, &limits).unwrap());
            }
        });
        ours.push(files.len() as f64 / u);
    }
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let ((), pooled) = timed(|| {
        use parallel::ParallelFiles;
        files.par_for_each(|file| {
            std::hint::black_box(haul_media::perceptual_hash(file, &limits).unwrap());
        });
    });
    let (plain, ours) = (median(&mut plain), median(&mut ours));
    let pixels: u64 = files
        .iter()
        .map(|f| {
            let d = haul_media::dimensions(f, &std::fs::read(f).unwrap()).unwrap();
            u64::from(d.width) * u64::from(d.height)
        })
        .sum();
    println!(
        "Perceptual hashes of {} JPEG photos ({:.1} megapixels on average), median of {rounds}:",
        files.len(),
        pixels as f64 / files.len() as f64 / 1e6
    );
    println!("  plain image::open + image_hasher, 1 thread  {plain:>7.1} photos/s");
    println!("  haul (DCT-scaled decoding),       1 thread  {ours:>7.1} photos/s");
    println!(
        "  haul on the media pool,           {threads} threads {:>7.1} photos/s",
        files.len() as f64 / pooled
    );
    println!(
        "  haul/plain, 1 thread each: {:.2}x (target >= 1.5x)",
        ours / plain
    );
}

/// Runs a closure over files on one scoped thread per core, as the media pool
/// does in the app.
mod parallel {
    use std::path::PathBuf;
    use std::sync::atomic::{AtomicUsize, Ordering};

    pub trait ParallelFiles {
        fn par_for_each(&self, work: impl Fn(&PathBuf) + Sync);
    }

    impl ParallelFiles for Vec<PathBuf> {
        fn par_for_each(&self, work: impl Fn(&PathBuf) + Sync) {
            let next = AtomicUsize::new(0);
            let threads = std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1);
            std::thread::scope(|scope| {
                for _ in 0..threads {
                    scope.spawn(|| {
                        while let Some(file) = self.get(next.fetch_add(1, Ordering::Relaxed)) {
                            work(file);
                        }
                    });
                }
            });
        }
    }
}

struct Hamming;

impl bk_tree::Metric<u64> for Hamming {
    fn distance(&self, a: &u64, b: &u64) -> u32 {
        (a ^ b).count_ones()
    }

    fn threshold_distance(&self, a: &u64, b: &u64, threshold: u32) -> Option<u32> {
        let d = (a ^ b).count_ones();
        (d <= threshold).then_some(d)
    }
}

fn index_bench(n: usize) {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut hashes: Vec<u64> = (0..n).map(|_| next()).collect();
    // Near copies of 1% of the hashes, 1 to 8 bits away.
    for i in 0..n / 100 {
        let mut near = hashes[i];
        for b in 0..(1 + i % 8) {
            near ^= 1 << ((i * 7 + b * 13) % 64);
        }
        hashes.push(near);
    }
    let queries: Vec<u64> = (0..2000)
        .map(|i| {
            if i % 2 == 0 {
                hashes[i * 37 % hashes.len()]
            } else {
                next()
            }
        })
        .collect();
    let k = 8;

    let (index, build) = timed(|| {
        haul_media::NearIndex::new(hashes.iter().enumerate().map(|(i, h)| (i as i64, *h)))
    });
    let mut ours = Vec::new();
    let mut found = 0;
    for q in &queries {
        let (hits, t) = timed(|| index.within(*q, k));
        found += hits.len();
        ours.push(t * 1e3);
    }

    let (tree, tree_build) = timed(|| {
        let mut tree = bk_tree::BKTree::new(Hamming);
        for h in &hashes {
            tree.add(*h);
        }
        tree
    });
    let mut theirs = Vec::new();
    let mut tree_found = 0;
    for q in queries.iter().take(300) {
        let (hits, t) = timed(|| tree.find(q, k).count());
        tree_found += hits;
        theirs.push(t * 1e3);
    }
    let expected_300: usize = queries
        .iter()
        .take(300)
        .map(|q| hashes.iter().filter(|h| (*h ^ q).count_ones() <= k).count())
        .sum();
    assert_eq!(tree_found, expected_300, "the BK-tree missed items");
    let mut scan = Vec::new();
    for q in queries.iter().take(300) {
        let (hits, t) = timed(|| hashes.iter().filter(|h| (*h ^ q).count_ones() <= k).count());
        std::hint::black_box(hits);
        scan.push(t * 1e3);
    }
    let ours_300: usize = queries
        .iter()
        .take(300)
        .map(|q| index.within(*q, k).len())
        .sum();
    assert_eq!(ours_300, expected_300, "the index missed items");
    let (p50, p99) = (
        percentile(&mut ours.clone(), 0.5),
        percentile(&mut ours, 0.99),
    );
    let (t50, t99) = (
        percentile(&mut theirs.clone(), 0.5),
        percentile(&mut theirs, 0.99),
    );
    let (s50, s99) = (
        percentile(&mut scan.clone(), 0.5),
        percentile(&mut scan, 0.99),
    );
    println!(
        "Near-duplicate queries at distance {k} over {} hashes ({found} hits in 2000 queries):",
        hashes.len()
    );
    println!(
        "  haul multi-index  build {build:>6.2} s   p50 {p50:.3} ms   p99 {p99:.3} ms (target p99 <= 0.2 ms)"
    );
    println!("  BK-tree           build {tree_build:>6.2} s   p50 {t50:.3} ms   p99 {t99:.3} ms");
    println!("  plain scan                         p50 {s50:.3} ms   p99 {s99:.3} ms");
    println!(
        "  BK-tree/haul at p50: {:.0}x, at p99: {:.0}x (target >= 10x)",
        t50 / p50,
        t99 / p99
    );
}

fn gallery_bench(n: i64) {
    use haul_store::library::{ItemFilter, ItemSort};
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let store = haul_store::Store::open(&dir.path().join("haul.db"))
            .await
            .unwrap();
        let ((), fill) = timed_async(store.library().fill_synthetic(n)).await;
        println!(
            "Gallery pages of 200 over {n} library items (filled in {fill:.1} s), 50 runs each:"
        );
        // The synthetic items are a minute apart: a million span about 23 months.
        let month = 30 * 24 * 3_600_000i64;
        let cases: Vec<(&str, ItemFilter, ItemSort)> = vec![
            ("newest, no filter", ItemFilter::default(), ItemSort::Newest),
            (
                "videos only",
                ItemFilter {
                    kinds: vec!["video".into()],
                    ..Default::default()
                },
                ItemSort::Newest,
            ),
            (
                "images from one origin in a date range",
                ItemFilter {
                    kinds: vec!["image".into()],
                    origins: vec!["source".into()],
                    from: Some(1_500_000_000_000 + 5 * month),
                    to: Some(1_500_000_000_000 + 15 * month),
                    ..Default::default()
                },
                ItemSort::Newest,
            ),
            (
                "platform reddit, 1-5 MB",
                ItemFilter {
                    platform: Some("reddit".into()),
                    min_size: Some(1 << 20),
                    max_size: Some(5 << 20),
                    ..Default::default()
                },
                ItemSort::Newest,
            ),
            ("largest first", ItemFilter::default(), ItemSort::Largest),
        ];
        for (name, filter, sort) in cases {
            let mut times = Vec::new();
            let mut cursor = None;
            for _ in 0..50 {
                let start = Instant::now();
                let rows = store
                    .library()
                    .page(&filter, sort, cursor.clone(), 200)
                    .await
                    .unwrap();
                times.push(start.elapsed().as_secs_f64() * 1e3);
                // Each run asks for the next page (keyset), deeper and deeper.
                cursor = rows.last().map(|r| (sort.key_of(r), r.id));
                assert!(!rows.is_empty(), "{name}: empty page");
            }
            let p50 = percentile(&mut times.clone(), 0.5);
            let p95 = percentile(&mut times, 0.95);
            println!("  {name:<40} p50 {p50:>6.2} ms   p95 {p95:>6.2} ms (target <= 16 ms)");
        }
        store.close().await;
    });
}

async fn timed_async<T>(
    work: impl std::future::Future<Output = Result<T, haul_store::StoreError>>,
) -> (T, f64) {
    let start = Instant::now();
    let out = work.await.unwrap();
    (out, start.elapsed().as_secs_f64())
}
