//! `cargo xtask bench download`: Haul's engine side by side with aria2c, wget2, curl
//! and a plain reqwest loop against nginx on 127.0.0.1, in one run: one discarded
//! warm-up, then interleaved rounds, medians, and ratios. Never a pass/fail timing in tests.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::{Result, cargo, root, run_command, setup, step, target_dir};

const PACKAGES: &[&str] = &[
    "nginx-light",
    "aria2",
    "wget2",
    "curl",
    "time",
    "openssl",
    "iproute2",
];
const MIB: u64 = 1 << 20;
const ROUNDS: usize = 5;
/// nginx's per-connection cap in scenario (b).
const LIMIT_MIB: u64 = 16;

/// nginx's master process: stopped with SIGTERM, so it takes its workers along
/// (a SIGKILL would leave them running, idle, after the bench).
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        if signal(self.0.id(), "TERM").is_err() {
            let _ = self.0.kill();
        }
        let _ = self.0.wait();
    }
}

/// One measured run.
#[derive(Clone, Copy, Debug, Default)]
struct Sample {
    wall: f64,
    cpu: f64,
    rss_kib: f64,
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

/// Builds a tool's command for (url, output file).
type CommandFor = Box<dyn Fn(&str, &Path) -> Command>;

struct Tool {
    name: &'static str,
    command: CommandFor,
}

struct Bench {
    dir: PathBuf,
    haul: PathBuf,
    cert: PathBuf,
    http: u16,
    https: u16,
}

pub fn download(size_mib: u64) -> Result {
    setup::system_packages(PACKAGES)?;
    step("cargo: build haul and the plain reqwest loop (release)");
    run_command(cargo().args(["build", "--release", "-p", "haul-cli"]))?;
    run_command(cargo().args([
        "build",
        "--release",
        "-p",
        "haul-download",
        "--example",
        "plain_ranges",
    ]))?;
    // Outside /root (nginx's workers drop root and must read the files).
    let dir = std::env::temp_dir().join("haul-bench");
    let served = dir.join("served");
    std::fs::create_dir_all(served.join("small")).map_err(|e| e.to_string())?;
    step(&format!(
        "files: {size_mib} MiB random, 256 MiB random, 1000 × 100 KiB"
    ));
    random_file(&served.join("big.bin"), size_mib * MIB)?;
    random_file(&served.join("mid.bin"), 256 * MIB)?;
    for i in 0..1000 {
        random_file(&served.join(format!("small/f{i:04}.bin")), 100 * 1024)?;
    }
    let cert = certificate(&dir)?;
    let http = free_port()?;
    let https = free_port()?;
    let _nginx = nginx(&dir, &served, http, https)?;
    let bench = Bench {
        haul: target_dir().join("release/haul"),
        dir,
        cert,
        http,
        https,
    };
    let mut report = String::new();
    let size = size_mib * MIB;
    for scheme in ["http", "https"] {
        step(&format!("(a) {size_mib} MiB over {scheme}"));
        let mut tools = bench.tools(8);
        tools.push(bench.plain_loop(8, false));
        tools.push(bench.plain_loop(8, true));
        let table = bench.compare(&tools, &bench.url(scheme, "big.bin"), size)?;
        writeln!(
            report,
            "\n(a) {size_mib} MiB over {scheme}, medians of {ROUNDS}"
        )
        .ok();
        report.push_str(&render(&table, size));
    }
    step(&format!(
        "(b) 256 MiB, nginx limit_rate {LIMIT_MIB} MiB/s per connection"
    ));
    let tools: Vec<Tool> = bench
        .tools(8)
        .into_iter()
        .filter(|t| matches!(t.name, "haul" | "aria2c"))
        .collect();
    let table = bench.compare(&tools, &bench.url("http", "limited/mid.bin"), 256 * MIB)?;
    writeln!(
        report,
        "\n(b) 256 MiB with {LIMIT_MIB} MiB/s per connection; 8 × cap = {} MiB/s",
        8 * LIMIT_MIB
    )
    .ok();
    report.push_str(&render(&table, 256 * MIB));
    for (name, sample) in &table {
        let rate = 256.0 / sample.wall;
        writeln!(
            report,
            "  {name}: {rate:.1} MiB/s = {:.0}% of 8 × cap",
            100.0 * rate / (8 * LIMIT_MIB) as f64
        )
        .ok();
    }
    step("(c) 1000 files of 100 KiB");
    let small = bench.small_files()?;
    writeln!(report, "\n(c) 1000 × 100 KiB, medians of {ROUNDS}").ok();
    report.push_str(&render(&small, 1000 * 100 * 1024));
    step("(d) kill at 50% and resume: bytes fetched again");
    writeln!(
        report,
        "\n(d) {size_mib} MiB, SIGKILL at half the median time, then resumed"
    )
    .ok();
    let mib = |bytes: u64| bytes as f64 / MIB as f64;
    for (name, sample) in
        &bench.compare(&bench.tools(8)[..2], &bench.url("http", "big.bin"), size)?
    {
        let again =
            bench.kill_and_resume(name, &bench.url("http", "big.bin"), size, sample.wall / 2.0)?;
        writeln!(
            report,
            "  {name}: {:.1} MiB fetched again by the tool; nginx sent {:.1} MiB again, \
             of which {:.1} MiB were in socket queues at the kill",
            mib(again.by_the_tool()),
            mib(again.sent_again),
            mib(again.in_kernel)
        )
        .ok();
    }
    println!("{report}");
    let out = root().join("target/bench-download.txt");
    std::fs::create_dir_all(root().join("target")).map_err(|e| e.to_string())?;
    std::fs::write(&out, &report).map_err(|e| e.to_string())?;
    eprintln!("written to {}", out.display());
    Ok(())
}

impl Bench {
    fn url(&self, scheme: &str, path: &str) -> String {
        let port = if scheme == "https" {
            self.https
        } else {
            self.http
        };
        format!("{scheme}://127.0.0.1:{port}/{path}")
    }

    /// The baseline: a plain reqwest + tokio loop over the same ranges, without
    /// Haul's bookkeeping (`crates/haul-download/examples/plain_ranges.rs`); with
    /// `sync`, it flushes the file once at the end.
    fn plain_loop(&self, connections: usize, sync: bool) -> Tool {
        let binary = target_dir().join("release/examples/plain_ranges");
        let cert = self.cert.clone();
        Tool {
            name: if sync { "plain+sync" } else { "plain" },
            command: Box::new(move |url, out| {
                let mut c = Command::new(&binary);
                c.arg(url).arg(out).arg(connections.to_string());
                if sync {
                    c.arg("sync");
                }
                c.env("SSL_CERT_FILE", &cert);
                c
            }),
        }
    }

    fn tools(&self, connections: usize) -> Vec<Tool> {
        let haul = self.haul.clone();
        let data = self.dir.join("haul-data");
        let cert = self.cert.clone();
        let cert2 = self.cert.clone();
        let cert3 = self.cert.clone();
        let n = connections.to_string();
        let n2 = n.clone();
        vec![
            Tool {
                name: "haul",
                command: Box::new(move |url, out| {
                    let mut c = Command::new(&haul);
                    c.arg("--data-dir")
                        .arg(&data)
                        .args(["get", url, "--connections", &n, "--dir"]);
                    c.arg(out.parent().unwrap_or(Path::new(".")));
                    c.env("SSL_CERT_FILE", &cert);
                    c
                }),
            },
            Tool {
                name: "aria2c",
                command: Box::new(move |url, out| {
                    let mut c = Command::new("aria2c");
                    c.args([
                        "-q",
                        "-x",
                        &n2,
                        "-s",
                        &n2,
                        "-k1M",
                        "--allow-overwrite=true",
                        "--auto-file-renaming=false",
                    ]);
                    c.arg(format!("--ca-certificate={}", cert2.display()));
                    c.arg("-d")
                        .arg(out.parent().unwrap_or(Path::new(".")))
                        .arg("-o");
                    c.arg(out.file_name().unwrap_or_default()).arg(url);
                    c
                }),
            },
            Tool {
                name: "wget2",
                command: Box::new(move |url, out| {
                    let mut c = Command::new("wget2");
                    c.args(["-q", "--no-config"])
                        .arg(format!("--ca-certificate={}", cert3.display()));
                    c.arg("-O").arg(out).arg(url);
                    c
                }),
            },
            Tool {
                name: "curl",
                command: Box::new({
                    let cert = self.cert.clone();
                    move |url, out| {
                        let mut c = Command::new("curl");
                        c.args(["-s", "--cacert"])
                            .arg(&cert)
                            .arg("-o")
                            .arg(out)
                            .arg(url);
                        c
                    }
                }),
            },
        ]
    }

    /// One warm-up, then ROUNDS interleaved rounds; medians per tool.
    fn compare(&self, tools: &[Tool], url: &str, size: u64) -> Result<Vec<(&'static str, Sample)>> {
        let mut samples: Vec<Vec<Sample>> = vec![Vec::new(); tools.len()];
        for round in 0..=ROUNDS {
            for (i, tool) in tools.iter().enumerate() {
                let sample = self.measure(tool, url, size)?;
                if round > 0 {
                    samples[i].push(sample);
                }
            }
        }
        Ok(tools
            .iter()
            .zip(samples)
            .map(|(tool, runs)| {
                let pick =
                    |f: fn(&Sample) -> f64| median(&mut runs.iter().map(f).collect::<Vec<_>>());
                (
                    tool.name,
                    Sample {
                        wall: pick(|s| s.wall),
                        cpu: pick(|s| s.cpu),
                        rss_kib: pick(|s| s.rss_kib),
                    },
                )
            })
            .collect())
    }

    /// An empty output folder, no haul state and a quiet disk, so every run
    /// starts from nothing: the tools that never flush leave gigabytes of dirty
    /// pages, whose write-back would otherwise land in the next tool's run.
    fn out_dir(&self) -> Result<PathBuf> {
        let _ = std::fs::remove_dir_all(self.dir.join("haul-data"));
        let out = self.dir.join("out");
        let _ = std::fs::remove_dir_all(&out);
        std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
        run_command(Command::new("sync").stdout(Stdio::null()))?;
        Ok(out)
    }

    fn measure(&self, tool: &Tool, url: &str, size: u64) -> Result<Sample> {
        let out = self.out_dir()?.join("file.bin");
        let name = url.rsplit('/').next().unwrap_or("file.bin");
        let mut command = (tool.command)(url, &out);
        let sample = timed(&mut command)?;
        // haul names the file after the URL; the others write `out`.
        let written = if out.exists() {
            out
        } else {
            self.dir.join("out").join(name)
        };
        let len = std::fs::metadata(&written).map(|m| m.len()).unwrap_or(0);
        if len != size {
            return Err(format!(
                "{} wrote {len} bytes of {size} for {url}",
                tool.name
            ));
        }
        Ok(sample)
    }

    fn small_files(&self) -> Result<Vec<(&'static str, Sample)>> {
        let urls: Vec<String> = (0..1000)
            .map(|i| self.url("http", &format!("small/f{i:04}.bin")))
            .collect();
        let list = self.dir.join("small.list");
        std::fs::write(&list, urls.join("\n")).map_err(|e| e.to_string())?;
        let data = self.dir.join("haul-data");
        let mut haul: Vec<Sample> = Vec::new();
        let mut aria: Vec<Sample> = Vec::new();
        for round in 0..=ROUNDS {
            let out = self.out_dir()?;
            std::fs::create_dir_all(&data).map_err(|e| e.to_string())?;
            // 16 at once, as aria2c -j16.
            let settings = format!(
                "{{\"downloadDir\":{:?},\"maxActiveDownloads\":16,\"connectionsPerDownload\":1}}",
                out.display().to_string()
            );
            std::fs::write(data.join("settings.json"), settings).map_err(|e| e.to_string())?;
            let mut command = Command::new(&self.haul);
            command.arg("--data-dir").arg(&data).arg("get").args(&urls);
            let h = timed(&mut command)?;
            let out = self.out_dir()?;
            let mut command = Command::new("aria2c");
            command
                .args(["-q", "-j16", "-i"])
                .arg(&list)
                .arg("-d")
                .arg(&out);
            let a = timed(&mut command)?;
            if round > 0 {
                haul.push(h);
                aria.push(a);
            }
        }
        let med = |runs: &[Sample]| Sample {
            wall: median(&mut runs.iter().map(|s| s.wall).collect::<Vec<_>>()),
            cpu: median(&mut runs.iter().map(|s| s.cpu).collect::<Vec<_>>()),
            rss_kib: median(&mut runs.iter().map(|s| s.rss_kib).collect::<Vec<_>>()),
        };
        Ok(vec![("haul", med(&haul)), ("aria2c", med(&aria))])
    }

    /// Runs the tool, stops it after `after` seconds, kills it, runs it again to
    /// the end, and splits what nginx sent beyond the file's size into what sat in
    /// the kernel's socket buffers at the kill (lost whatever the client does) and
    /// the rest: what the tool had received and fetched again.
    fn kill_and_resume(&self, name: &str, url: &str, size: u64, after: f64) -> Result<Refetch> {
        let tools = self.tools(8);
        let tool = tools
            .iter()
            .find(|t| t.name == name)
            .ok_or("unknown tool")?;
        let out = self.out_dir()?.join("file.bin");
        let log = self.dir.join("access.log");
        let before = logged_bytes(&log);
        let mut first = (tool.command)(url, &out);
        let mut child = first
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| e.to_string())?;
        std::thread::sleep(Duration::from_secs_f64(after));
        // Frozen first, so the socket queues can be read while nothing drains
        // them: the client's receive queues fill, then nginx's send queues.
        signal(child.id(), "STOP")?;
        let port = self.http;
        let mut in_kernel = socket_queues(port)?;
        for _ in 0..50 {
            std::thread::sleep(Duration::from_millis(100));
            let now = socket_queues(port)?;
            if now == in_kernel {
                break;
            }
            in_kernel = now;
        }
        let _ = child.kill();
        let _ = child.wait();
        // The same command continues: haul from its data folder, aria2c (with -c)
        // from its control file.
        let mut again = (tool.command)(url, &out);
        if name == "aria2c" {
            again.arg("-c");
        }
        run_command(again.stdout(Stdio::null()))?;
        // nginx writes a log line when each request ends.
        std::thread::sleep(Duration::from_millis(500));
        let sent_again = logged_bytes(&log)
            .saturating_sub(before)
            .saturating_sub(size);
        Ok(Refetch {
            sent_again,
            in_kernel,
        })
    }
}

/// What a kill and resume cost in bytes nginx sent twice.
struct Refetch {
    sent_again: u64,
    /// In socket queues at the kill: the client's receive queues and nginx's send
    /// queues. No client can keep these.
    in_kernel: u64,
}

impl Refetch {
    /// What the tool itself had received and fetched again.
    fn by_the_tool(&self) -> u64 {
        self.sent_again.saturating_sub(self.in_kernel)
    }
}

fn signal(pid: u32, name: &str) -> Result {
    run_command(
        Command::new("kill")
            .arg(format!("-{name}"))
            .arg(pid.to_string()),
    )
}

/// Bytes queued in the kernel on the connections to nginx's `port`: received but
/// not read by the client, plus written by nginx but not yet delivered (`ss`).
fn socket_queues(port: u16) -> Result<u64> {
    let output = Command::new("ss")
        .args(["-tnH", "state", "established"])
        .output()
        .map_err(|e| format!("ss: {e}"))?;
    if !output.status.success() {
        return Err(format!("ss failed ({})", output.status));
    }
    let port = format!(":{port}");
    let mut total = 0;
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        // Recv-Q Send-Q Local:Port Peer:Port
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [recv_q, send_q, local, peer, ..] = fields.as_slice() else {
            continue;
        };
        let queued = |q: &str| q.parse::<u64>().unwrap_or(0);
        if peer.ends_with(&port) {
            total += queued(recv_q);
        } else if local.ends_with(&port) {
            total += queued(send_q);
        }
    }
    Ok(total)
}

fn render(table: &[(&'static str, Sample)], size: u64) -> String {
    let gib = size as f64 / (1u64 << 30) as f64;
    let find = |name| table.iter().find(|(n, _)| *n == name).map(|(_, s)| *s);
    let aria = find("aria2c");
    let wget = find("wget2");
    let mut out = String::new();
    writeln!(
        out,
        "  {:<10} {:>8} {:>9} {:>10} {:>9} {:>12} {:>12}",
        "tool", "wall s", "MiB/s", "CPU s/GiB", "peak MiB", "wall/aria2c", "wall/wget2"
    )
    .ok();
    for (name, s) in table {
        let ratio = |other: Option<Sample>| {
            other.map_or("-".to_string(), |o| format!("{:.2}", s.wall / o.wall))
        };
        writeln!(
            out,
            "  {:<10} {:>8.2} {:>9.0} {:>10.2} {:>9.1} {:>12} {:>12}",
            name,
            s.wall,
            size as f64 / MIB as f64 / s.wall,
            s.cpu / gib,
            s.rss_kib / 1024.0,
            ratio(aria),
            ratio(wget)
        )
        .ok();
    }
    let haul = find("haul");
    if let (Some(haul), Some(aria)) = (haul, aria) {
        writeln!(out, "  haul CPU/aria2c CPU: {:.2}", haul.cpu / aria.cpu).ok();
    }
    // What Haul's bookkeeping costs against the plain loop (target: at most
    // 1.10), and against the same loop with one flush at the end.
    for plain in ["plain", "plain+sync"] {
        if let (Some(haul), Some(baseline)) = (haul, find(plain)) {
            writeln!(
                out,
                "  haul/{plain}: wall {:.2}, CPU {:.2}",
                haul.wall / baseline.wall,
                haul.cpu / baseline.cpu
            )
            .ok();
        }
    }
    out
}

/// Runs under /usr/bin/time: wall seconds, user + system CPU seconds, peak RSS.
fn timed(command: &mut Command) -> Result<Sample> {
    let report = std::env::temp_dir().join(format!("haul-bench-time-{}", std::process::id()));
    let program = command.get_program().to_owned();
    let args: Vec<_> = command.get_args().map(ToOwned::to_owned).collect();
    let mut timed = Command::new("/usr/bin/time");
    timed
        .args(["-f", "%e %U %S %M", "-o"])
        .arg(&report)
        .arg(&program)
        .args(&args);
    for (key, value) in command.get_envs() {
        if let Some(value) = value {
            timed.env(key, value);
        }
    }
    let started = Instant::now();
    let status = timed
        .stdout(Stdio::null())
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!("{program:?} failed ({status})"));
    }
    let text = std::fs::read_to_string(&report).map_err(|e| e.to_string())?;
    let fields: Vec<f64> = text
        .split_whitespace()
        .filter_map(|f| f.parse().ok())
        .collect();
    match fields.as_slice() {
        [_, user, system, rss] => Ok(Sample {
            wall: started.elapsed().as_secs_f64(),
            cpu: user + system,
            rss_kib: *rss,
        }),
        _ => Err(format!("unreadable /usr/bin/time output: {text:?}")),
    }
}

fn logged_bytes(log: &Path) -> u64 {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .filter_map(|line| line.trim().parse::<u64>().ok())
        .sum()
}

pub(crate) fn random_file(path: &Path, size: u64) -> Result {
    if std::fs::metadata(path).is_ok_and(|m| m.len() == size) {
        return Ok(());
    }
    let mut file = std::fs::File::create(path).map_err(|e| e.to_string())?;
    let mut state = size ^ 0x9E37_79B9_7F4A_7C15;
    let mut block = vec![0u8; MIB as usize];
    let mut left = size;
    while left > 0 {
        for chunk in block.chunks_exact_mut(8) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            chunk.copy_from_slice(&state.to_le_bytes());
        }
        let n = left.min(MIB) as usize;
        file.write_all(&block[..n]).map_err(|e| e.to_string())?;
        left -= n as u64;
    }
    Ok(())
}

/// A CA of the bench's own and a certificate for 127.0.0.1 signed by it (rustls,
/// unlike OpenSSL, refuses a self-signed CA certificate as a server's). Clients
/// trust the CA; nginx serves `cert.pem` with `key.pem`.
fn certificate(dir: &Path) -> Result<PathBuf> {
    let ca = dir.join("ca.pem");
    if ca.exists() && dir.join("cert.pem").exists() {
        return Ok(ca);
    }
    let openssl = |args: &[&str]| {
        let mut command = Command::new("openssl");
        command.args(args).current_dir(dir).stderr(Stdio::null());
        command
    };
    run_command(&mut openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=Haul bench CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
        "-keyout",
        "ca-key.pem",
        "-out",
        "ca.pem",
    ]))?;
    run_command(&mut openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=127.0.0.1",
        "-keyout",
        "key.pem",
        "-out",
        "server.csr",
    ]))?;
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .map_err(|e| e.to_string())?;
    run_command(&mut openssl(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca-key.pem",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "server.ext",
        "-out",
        "cert.pem",
    ]))?;
    Ok(ca)
}

fn free_port() -> Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

fn nginx(dir: &Path, served: &Path, http: u16, https: u16) -> Result<Guard> {
    let d = dir.display();
    let s = served.display();
    let conf = format!(
        "worker_processes 2;\ndaemon off;\npid {d}/nginx.pid;\nerror_log {d}/error.log;\n\
         events {{ worker_connections 4096; }}\n\
         http {{\n  log_format bytes '$bytes_sent';\n  access_log {d}/access.log bytes;\n\
           client_body_temp_path {d}/tmp; proxy_temp_path {d}/tmp; fastcgi_temp_path {d}/tmp;\n\
           uwsgi_temp_path {d}/tmp; scgi_temp_path {d}/tmp;\n\
           sendfile on; tcp_nopush on; keepalive_requests 100000;\n\
           server {{ listen 127.0.0.1:{http}; root {s};\n    location /limited/ {{ alias {s}/; limit_rate {LIMIT_MIB}m; }} }}\n\
           server {{ listen 127.0.0.1:{https} ssl; root {s};\n    ssl_certificate {d}/cert.pem; ssl_certificate_key {d}/key.pem; }}\n}}\n"
    );
    std::fs::create_dir_all(dir.join("tmp")).map_err(|e| e.to_string())?;
    let path = dir.join("nginx.conf");
    std::fs::write(&path, conf).map_err(|e| e.to_string())?;
    let child = Command::new("nginx")
        .arg("-c")
        .arg(&path)
        .arg("-p")
        .arg(dir)
        .spawn()
        .map_err(|e| format!("cannot start nginx: {e}"))?;
    let guard = Guard(child);
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", http)).is_err() {
        if Instant::now() > deadline {
            return Err(format!("nginx did not start; see {d}/error.log"));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(guard)
}
