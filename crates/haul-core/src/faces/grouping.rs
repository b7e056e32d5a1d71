//! Who is who: faces join the nearest person within a distance, the rest group
//! among themselves once enough of them agree (DBSCAN: a face with at least
//! `min_faces` faces around it, itself included, starts or grows a group). Two
//! faces of one photo are never one person, a face never goes back to a person the
//! user said it is not, and faces the user pinned are never moved.

use std::collections::{HashMap, HashSet};

use haul_media::faces::distance;
use haul_store::faces::{FaceVector, Grouped};

#[derive(Clone, Copy, Debug)]
pub struct GroupingParams {
    /// A face joins a person when one of their faces is closer than this.
    pub join_distance: f32,
    /// Faces closer than this are neighbours when unassigned faces are grouped.
    pub group_distance: f32,
    /// How many faces (the face itself included) must agree to form a person.
    pub min_faces: usize,
}

/// What becomes of the faces that are unpinned and have no person.
pub fn group(
    faces: &[FaceVector],
    rejections: &HashSet<(i64, i64)>,
    params: GroupingParams,
) -> Vec<Grouped> {
    let mut people_in_item: HashMap<i64, HashSet<i64>> = HashMap::new();
    let mut assigned = Vec::new();
    let mut free = Vec::new();
    for face in faces {
        match face.person_id {
            Some(person) => {
                people_in_item
                    .entry(face.item_id)
                    .or_default()
                    .insert(person);
                assigned.push(face);
            }
            None if !face.pinned => free.push(face),
            None => {}
        }
    }

    // Joining: each free face's nearest allowed person, closest matches first so
    // that of two faces in one photo the better match wins.
    let mut matches: Vec<(f32, usize, i64)> = Vec::new();
    for (i, face) in free.iter().enumerate() {
        let mut best: Option<(f32, i64)> = None;
        for known in &assigned {
            let Some(person) = known.person_id else {
                continue;
            };
            if rejections.contains(&(face.id, person)) || known.item_id == face.item_id {
                continue;
            }
            let d = distance(&face.embedding, &known.embedding);
            if d < params.join_distance && best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, person));
            }
        }
        if let Some((d, person)) = best {
            matches.push((d, i, person));
        }
    }
    matches.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut joined: HashMap<i64, Vec<i64>> = HashMap::new();
    let mut placed = vec![false; free.len()];
    for (_, i, person) in matches {
        let face = free[i];
        let present = people_in_item.entry(face.item_id).or_default();
        if present.insert(person) {
            joined.entry(person).or_default().push(face.id);
            placed[i] = true;
        }
    }
    let mut changes: Vec<Grouped> = joined
        .into_iter()
        .map(|(person_id, mut faces)| {
            faces.sort_unstable();
            Grouped::Join { person_id, faces }
        })
        .collect();
    changes.sort_by_key(|change| match change {
        Grouped::Join { person_id, .. } => *person_id,
        Grouped::New { .. } => i64::MAX,
    });

    let rest: Vec<&FaceVector> = free
        .iter()
        .zip(&placed)
        .filter(|(_, placed)| !**placed)
        .map(|(face, _)| *face)
        .collect();
    changes.extend(
        dbscan(&rest, params)
            .into_iter()
            .map(|faces| Grouped::New { faces }),
    );
    changes
}

/// Groups of at least `min_faces` faces, each face id once, no photo twice in a group.
fn dbscan(faces: &[&FaceVector], params: GroupingParams) -> Vec<Vec<i64>> {
    let n = faces.len();
    let neighbours: Vec<Vec<usize>> = (0..n)
        .map(|i| {
            (0..n)
                .filter(|&j| {
                    j != i
                        && faces[j].item_id != faces[i].item_id
                        && distance(&faces[i].embedding, &faces[j].embedding)
                            < params.group_distance
                })
                .collect()
        })
        .collect();
    let is_core = |i: usize| neighbours[i].len() + 1 >= params.min_faces;
    let mut cluster_of: Vec<Option<usize>> = vec![None; n];
    let mut clusters: Vec<(Vec<usize>, HashSet<i64>)> = Vec::new();
    // Densest faces seed first: a group grows from its most typical face.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(neighbours[i].len()));
    for seed in order {
        if cluster_of[seed].is_some() || !is_core(seed) {
            continue;
        }
        let id = clusters.len();
        let mut members = vec![seed];
        let mut items = HashSet::from([faces[seed].item_id]);
        cluster_of[seed] = Some(id);
        let mut frontier = vec![seed];
        while let Some(current) = frontier.pop() {
            if !is_core(current) {
                continue;
            }
            for &next in &neighbours[current] {
                if cluster_of[next].is_some() || !items.insert(faces[next].item_id) {
                    continue;
                }
                cluster_of[next] = Some(id);
                members.push(next);
                frontier.push(next);
            }
        }
        clusters.push((members, items));
    }
    clusters
        .into_iter()
        .filter(|(members, _)| members.len() >= params.min_faces)
        .map(|(members, _)| {
            let mut ids: Vec<i64> = members.into_iter().map(|i| faces[i].id).collect();
            ids.sort_unstable();
            ids
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PARAMS: GroupingParams = GroupingParams {
        join_distance: 0.5,
        group_distance: 0.5,
        min_faces: 2,
    };

    fn face(id: i64, item_id: i64, x: f32, person_id: Option<i64>, pinned: bool) -> FaceVector {
        FaceVector {
            id,
            item_id,
            person_id,
            pinned,
            embedding: vec![x, 0.0],
        }
    }

    #[test]
    fn close_faces_group_and_far_ones_stay_apart() {
        let faces = [
            face(1, 10, 0.0, None, false),
            face(2, 11, 0.3, None, false),
            face(3, 12, 0.6, None, false),
            face(4, 13, 5.0, None, false),
            face(5, 14, 5.2, None, false),
            face(6, 15, 9.0, None, false),
        ];
        let changes = group(&faces, &HashSet::new(), PARAMS);
        assert_eq!(
            changes,
            [
                Grouped::New {
                    faces: vec![1, 2, 3]
                },
                Grouped::New { faces: vec![4, 5] }
            ]
        );
    }

    #[test]
    fn two_faces_of_one_photo_are_never_one_person() {
        let faces = [
            face(1, 10, 0.0, Some(7), true),
            face(2, 20, 0.1, None, false),
            face(3, 20, 0.2, None, false),
            face(4, 30, 0.0, None, false),
        ];
        let changes = group(&faces, &HashSet::new(), PARAMS);
        // Face 2 (closer) joins; face 3 of the same photo cannot, nor can it group
        // with face 2's photo; it groups with nobody else close enough but face 4.
        assert_eq!(
            changes[0],
            Grouped::Join {
                person_id: 7,
                faces: vec![2, 4]
            }
        );
        assert!(
            !changes
                .iter()
                .any(|c| matches!(c, Grouped::Join { faces, .. } if faces.contains(&3)))
        );
    }

    #[test]
    fn a_rejected_person_and_pinned_faces_are_respected() {
        let faces = [
            face(1, 10, 0.0, Some(7), true),
            face(2, 11, 0.1, None, false),
            face(3, 12, 0.1, None, true),
        ];
        let rejections = HashSet::from([(2, 7)]);
        let changes = group(&faces, &rejections, PARAMS);
        assert!(changes.is_empty(), "{changes:?}");
    }
}
