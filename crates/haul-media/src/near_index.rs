//! "Every hash within distance k" over millions of 64-bit hashes: multi-index
//! hashing. Each hash is cut into four 16-bit blocks and filed under each block's
//! value. Two hashes within k differ by at most ⌊k/4⌋ bits in at least one block
//! (pigeonhole), so a query looks up, per block, every value within that radius
//! (137 values at k = 8) and checks only those candidates in full.

/// An immutable index over `(id, hash)` pairs. Build it once; query it often.
pub struct NearIndex {
    hashes: Vec<u64>,
    ids: Vec<i64>,
    /// Per block: `offsets[v]..offsets[v + 1]` is where entries with block value
    /// `v` sit in `postings`.
    offsets: Vec<Vec<u32>>,
    postings: Vec<Vec<u32>>,
}

const BLOCKS: usize = 4;
const BLOCK_VALUES: usize = 1 << 16;

fn block(hash: u64, index: usize) -> usize {
    ((hash >> (16 * index)) & 0xFFFF) as usize
}

impl NearIndex {
    pub fn new(entries: impl IntoIterator<Item = (i64, u64)>) -> Self {
        let (ids, hashes): (Vec<i64>, Vec<u64>) = entries.into_iter().unzip();
        let mut offsets = Vec::with_capacity(BLOCKS);
        let mut postings = Vec::with_capacity(BLOCKS);
        for b in 0..BLOCKS {
            let mut counts = vec![0u32; BLOCK_VALUES + 1];
            for hash in &hashes {
                counts[block(*hash, b) + 1] += 1;
            }
            for v in 0..BLOCK_VALUES {
                counts[v + 1] += counts[v];
            }
            let mut next = counts.clone();
            let mut list = vec![0u32; hashes.len()];
            for (position, hash) in hashes.iter().enumerate() {
                let slot = &mut next[block(*hash, b)];
                // Positions fit in u32: an index holds at most u32::MAX entries.
                list[*slot as usize] = position as u32;
                *slot += 1;
            }
            offsets.push(counts);
            postings.push(list);
        }
        Self {
            hashes,
            ids,
            offsets,
            postings,
        }
    }

    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }

    /// Every `(id, distance)` within `k` bits of `query`, nearest first. `k` up
    /// to 15 keeps the per-block radius at 3 or below (a few hundred lookups).
    pub fn within(&self, query: u64, k: u32) -> Vec<(i64, u32)> {
        let radius = k / BLOCKS as u32;
        let mut seen: Vec<u32> = Vec::new();
        let mut found = Vec::new();
        for b in 0..BLOCKS {
            let value = block(query, b);
            for_each_within(value as u16, radius, &mut |neighbour| {
                let start = self.offsets[b][neighbour as usize] as usize;
                let end = self.offsets[b][neighbour as usize + 1] as usize;
                for &position in &self.postings[b][start..end] {
                    let d = (self.hashes[position as usize] ^ query).count_ones();
                    if d <= k {
                        seen.push(position);
                    }
                }
            });
        }
        seen.sort_unstable();
        seen.dedup();
        for position in seen {
            let d = (self.hashes[position as usize] ^ query).count_ones();
            found.push((self.ids[position as usize], d));
        }
        found.sort_unstable_by_key(|&(id, d)| (d, id));
        found
    }

    /// Groups of ids whose hashes lie within `k` of one another (connected
    /// through chains of near pairs); `extra` gives further hashes per id to
    /// look up (a mirror image's), each group sorted, groups of two or more.
    pub fn groups(&self, k: u32, extra: &dyn Fn(i64) -> Option<u64>) -> Vec<Vec<i64>> {
        let n = self.hashes.len();
        let mut parent: Vec<usize> = (0..n).collect();
        fn root(parent: &mut [usize], mut i: usize) -> usize {
            while parent[i] != i {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            i
        }
        let position_of: std::collections::HashMap<i64, usize> = self
            .ids
            .iter()
            .enumerate()
            .map(|(p, id)| (*id, p))
            .collect();
        for position in 0..n {
            let id = self.ids[position];
            let mut queries = vec![self.hashes[position]];
            queries.extend(extra(id));
            for query in queries {
                for (other, _) in self.within(query, k) {
                    let Some(&other) = position_of.get(&other) else {
                        continue;
                    };
                    let (a, b) = (root(&mut parent, position), root(&mut parent, other));
                    if a != b {
                        parent[a.max(b)] = a.min(b);
                    }
                }
            }
        }
        let mut by_root: std::collections::BTreeMap<usize, Vec<i64>> = Default::default();
        for position in 0..n {
            let r = root(&mut parent, position);
            by_root.entry(r).or_default().push(self.ids[position]);
        }
        by_root
            .into_values()
            .filter(|group| group.len() > 1)
            .map(|mut group| {
                group.sort_unstable();
                group
            })
            .collect()
    }
}

/// Calls `visit` with every 16-bit value within `radius` bits of `value`.
fn for_each_within(value: u16, radius: u32, visit: &mut dyn FnMut(u16)) {
    fn flip(value: u16, from_bit: u32, left: u32, visit: &mut dyn FnMut(u16)) {
        visit(value);
        if left == 0 {
            return;
        }
        for bit in from_bit..16 {
            flip(value ^ (1 << bit), bit + 1, left - 1, visit);
        }
    }
    flip(value, 0, radius, visit);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lcg(state: &mut u64) -> u64 {
        *state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        *state ^ (*state >> 29)
    }

    #[test]
    fn finds_exactly_what_a_scan_finds() {
        let mut state = 7;
        let mut entries: Vec<(i64, u64)> = (0..20_000).map(|i| (i, lcg(&mut state))).collect();
        // Plant near copies of the first hashes.
        for i in 0..200 {
            let base = entries[i].1;
            let flips = (i % 9) as u32;
            let mut near = base;
            for f in 0..flips {
                near ^= 1 << ((f * 7 + i as u32) % 64);
            }
            entries.push((100_000 + i as i64, near));
        }
        let index = NearIndex::new(entries.clone());
        for k in [0, 3, 8, 12] {
            for probe in 0..300 {
                let query = entries[probe * 13 % entries.len()].1;
                let mut expected: Vec<(i64, u32)> = entries
                    .iter()
                    .map(|(id, h)| (*id, (h ^ query).count_ones()))
                    .filter(|(_, d)| *d <= k)
                    .collect();
                expected.sort_unstable_by_key(|&(id, d)| (d, id));
                assert_eq!(index.within(query, k), expected, "k={k}");
            }
        }
    }

    #[test]
    fn groups_join_chains_and_mirrors() {
        let index = NearIndex::new([
            (1, 0u64),
            (2, 0b111),
            (3, 0b111_111),
            (4, u64::MAX),
            (5, 0xFFFF_0000),
        ]);
        assert_eq!(index.groups(3, &|_| None), vec![vec![1, 2, 3]]);
        let mirror = |id| (id == 5).then_some(0b1);
        assert_eq!(index.groups(3, &mirror), vec![vec![1, 2, 3, 5]]);
    }

    #[test]
    fn radius_enumeration_counts() {
        let mut count = 0;
        for_each_within(0xABCD, 2, &mut |_| count += 1);
        assert_eq!(count, 1 + 16 + 120);
    }
}
