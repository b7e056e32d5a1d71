//! Numbers for people: binary units with one decimal.

pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 6] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

pub fn percent(received: u64, total: Option<u64>) -> String {
    match total {
        Some(0) => "100%".into(),
        Some(total) => format!("{}%", received.saturating_mul(100) / total),
        None => "?".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_use_binary_units_with_one_decimal() {
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(bytes(50 * 1024 * 1024), "50.0 MiB");
        assert_eq!(percent(50, Some(200)), "25%");
        assert_eq!(percent(1, None), "?");
    }
}
