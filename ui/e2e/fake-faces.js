// Faces and people of the fake core (fake-core.js merges its commands): the models (not
// installed until fetched, unless `installed`), faces per library item, people with names,
// hidden flags, merges and corrections, scans that emit `library-progress-event` with the
// job "faces", and `people-changed-event` after every change, as the core does.
// Plain browser JavaScript, injected as-is.

/* eslint-env browser */
// eslint-disable-next-line no-unused-vars
function fakeFaces(options, core) {
  "use strict";
  const { clone, coreError, emit } = core;
  const given = options || {};

  function faceWithDefaults(face) {
    return { x: 0.3, y: 0.2, width: 0.2, height: 0.26, score: 0.95, quality: 0.8, personId: null, pinned: false, reference: false, ...face };
  }

  const state = {
    installed: Boolean(given.installed),
    /** What faces_fetch_models answers: an error ({ code, message }) or null (success). */
    fetchError: clone(given.fetchError ?? null),
    /** id → { id, name, hidden } */
    people: new Map(),
    /** Faces found so far (a scan adds `pendingFaces`). */
    faces: (given.faces || []).map(faceWithDefaults),
    /** What the next scan finds: { items: n, faces: [...], people: [...] }. */
    scan: clone(given.scan ?? null),
    analysed: given.analysed ?? 0,
    pending: given.pending ?? 0,
    failed: given.failed ?? 0,
    nextPersonId: 1,
    /** Faces rejected from a person: face id → set of person ids. */
    rejected: new Map(),
    calls: [],
  };
  for (const person of clone(given.people || [])) addPerson(person);

  function addPerson(person) {
    const full = { name: null, hidden: false, ...person };
    state.people.set(full.id, full);
    state.nextPersonId = Math.max(state.nextPersonId, full.id + 1);
    return full;
  }

  function changed() {
    setTimeout(() => emit("people-changed-event", null), 20);
  }

  function personView(person) {
    const faces = state.faces.filter((f) => f.personId === person.id).sort((a, b) => b.quality - a.quality || a.id - b.id);
    return {
      id: person.id,
      name: person.name,
      hidden: person.hidden,
      faceCount: faces.length,
      itemCount: new Set(faces.map((f) => f.itemId)).size,
      coverFaceId: faces[0]?.id ?? null,
    };
  }

  function faceView(face) {
    const person = face.personId === null ? null : state.people.get(face.personId);
    return { ...clone(face), personName: person?.name ?? null };
  }

  function findPerson(id) {
    const person = state.people.get(id);
    if (!person) throw coreError("NotFound", `There is no person #${id}.`);
    return person;
  }

  function findFace(id) {
    const face = state.faces.find((f) => f.id === id);
    if (!face) throw coreError("NotFound", `There is no face #${id}.`);
    return face;
  }

  /** People without faces are gone, as in the core. */
  function dropEmpty() {
    for (const person of [...state.people.values()]) {
      if (!state.faces.some((f) => f.personId === person.id)) state.people.delete(person.id);
    }
  }

  function validName(name) {
    const trimmed = String(name ?? "").trim();
    if ([...trimmed].length > 100) throw coreError("InvalidInput", "A name is at most 100 characters, without control characters.");
    return trimmed === "" ? null : trimmed;
  }

  function named(name) {
    const wanted = name.toLocaleLowerCase();
    return [...state.people.values()].find((p) => p.name !== null && p.name.toLocaleLowerCase() === wanted);
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  const commands = {
    faces_status() {
      return {
        modelsInstalled: state.installed,
        missingModels: state.installed ? [] : ["face_detection_yunet_2023mar.onnx", "dlib_face_recognition_resnet_v1.onnx"],
        pending: state.pending,
        analysed: state.analysed,
        failed: state.failed,
        faces: state.faces.length,
        people: state.people.size,
        error: null,
      };
    },
    async faces_fetch_models() {
      await sleep(150);
      if (state.fetchError) {
        const error = state.fetchError;
        state.fetchError = null;
        throw clone(error);
      }
      state.installed = true;
      return null;
    },
    async faces_scan() {
      if (!state.installed) {
        throw coreError("ModelUnavailable", "The face models are not installed. Install them with `haul faces models install DIR`.");
      }
      const scan = state.scan || { items: state.pending, faces: [], people: [] };
      state.scan = null;
      const total = scan.items ?? state.pending;
      for (let done = 0; done <= total; done++) {
        core.progress({ job: "faces", done, total, running: true });
        await sleep(scan.stepMs ?? 40);
        while (core.paused()) await sleep(20);
      }
      const before = state.people.size;
      for (const person of scan.people || []) addPerson(person);
      for (const face of scan.faces || []) state.faces.push(faceWithDefaults(face));
      state.analysed += total;
      state.pending = Math.max(0, state.pending - total);
      core.progress({ job: "faces", done: total, total, running: false });
      changed();
      return { analysed: total, faces: (scan.faces || []).length, failed: 0, newPeople: state.people.size - before };
    },
    faces_regroup() {
      changed();
      return state.people.size;
    },
    people_list({ includeHidden }) {
      return [...state.people.values()].filter((p) => includeHidden || !p.hidden).map(personView);
    },
    person_faces({ id, limit }) {
      findPerson(id);
      return state.faces.filter((f) => f.personId === id).slice(0, limit).map(faceView);
    },
    item_faces({ itemId }) {
      return state.faces.filter((f) => f.itemId === itemId).map(faceView);
    },
    person_rename({ id, name }) {
      const person = findPerson(id);
      const next = validName(name);
      const other = next === null ? undefined : named(next);
      if (other && other.id !== id) {
        throw coreError("InvalidInput", `Person #${other.id} is already named ${JSON.stringify(next)}: merge the two instead.`);
      }
      person.name = next;
      state.calls.push({ cmd: "person_rename", id, name: next });
      changed();
      return personView(person);
    },
    person_set_hidden({ id, hidden }) {
      const person = findPerson(id);
      person.hidden = Boolean(hidden);
      changed();
      return personView(person);
    },
    people_merge({ from, into }) {
      if (from === into) throw coreError("InvalidInput", "A person cannot be merged into themselves.");
      findPerson(from);
      const target = findPerson(into);
      for (const face of state.faces) if (face.personId === from) face.personId = into;
      state.people.delete(from);
      state.calls.push({ cmd: "people_merge", from, into });
      changed();
      return personView(target);
    },
    face_move({ faceId, personId }) {
      if (personId !== null) findPerson(personId);
      const face = findFace(faceId);
      face.personId = personId;
      face.pinned = true;
      state.calls.push({ cmd: "face_move", faceId, personId });
      dropEmpty();
      changed();
      return faceView(face);
    },
    face_reject({ faceId }) {
      const face = findFace(faceId);
      if (face.personId === null) throw coreError("InvalidState", `Face #${faceId} belongs to nobody.`);
      face.personId = null;
      state.calls.push({ cmd: "face_reject", faceId });
      dropEmpty();
      changed();
      return faceView(face);
    },
    person_add_reference({ name, itemId }) {
      const wanted = validName(name);
      if (wanted === null) throw coreError("InvalidInput", "A reference needs a name.");
      const faces = state.faces.filter((f) => f.itemId === itemId);
      if (faces.length === 0) {
        throw coreError("InvalidInput", `No face was found in library item #${itemId} (is it analysed yet?).`);
      }
      const largest = faces.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a));
      const person = named(wanted) ?? addPerson({ id: state.nextPersonId, name: wanted });
      largest.personId = person.id;
      largest.pinned = true;
      largest.reference = true;
      state.calls.push({ cmd: "person_add_reference", name: wanted, itemId });
      dropEmpty();
      changed();
      return personView(person);
    },
    face_name({ faceId, name }) {
      const wanted = validName(name);
      if (wanted === null) throw coreError("InvalidInput", "A reference needs a name.");
      const face = state.faces.find((f) => f.id === faceId);
      if (face === undefined) throw coreError("NotFound", `There is no face #${faceId}.`);
      const person = named(wanted) ?? addPerson({ id: state.nextPersonId, name: wanted });
      face.personId = person.id;
      face.pinned = true;
      face.reference = true;
      state.calls.push({ cmd: "face_name", name: wanted, faceId });
      dropEmpty();
      changed();
      return personView(person);
    },
  };

  const helpers = {
    /** Person ids with a face in a library item (the library's people filter). */
    peopleOf: (itemId) => state.faces.filter((f) => f.itemId === itemId && f.personId !== null).map((f) => f.personId),
    /** The people as the core holds them (with their faces' counts). */
    people: () => [...state.people.values()].map(personView),
    faces: () => state.faces.map(faceView),
    /** Corrections the app made: renames, merges, moves, rejects, references. */
    facesCalls: () => clone(state.calls),
  };

  return { commands, helpers };
}
