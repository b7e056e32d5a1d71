// The Faces section of the settings form: threads and faces per person (whole numbers),
// the detector's size (a choice of multiples of 32) and where the models come from.

import type { FacesSettings } from "$lib/ipc/api";
import { wholeNumber } from "./libraryForm";

/** 0 means half the processor's cores. */
export const FACES_THREADS_MIN = 0;
export const FACES_THREADS_MAX = 64;

export const MIN_FACES_MIN = 1;
export const MIN_FACES_MAX = 50;

/** The detector sizes offered (the core takes any multiple of 32 from 160 to 1920). */
export const DETECTOR_SIDES: readonly number[] = [320, 480, 640, 800, 960];

/** The core's defaults, for settings saved before faces existed. */
export const FACES_DEFAULTS: FacesSettings = { threads: 0, minFaces: 2, detectorSide: 640, modelsUrl: null };

/** The sizes to list: the offered ones, plus the current one when it was set elsewhere. */
export function detectorSides(current: number): number[] {
  return DETECTOR_SIDES.includes(current) ? [...DETECTOR_SIDES] : [...DETECTOR_SIDES, current].sort((a, b) => a - b);
}

/** The section as the form edits it: the address as text ("" for the manifest's). */
export type FacesForm = { threads: number; minFaces: number; detectorSide: number; modelsUrl: string };

export function facesForm(settings: FacesSettings | undefined): FacesForm {
  const faces = { ...FACES_DEFAULTS, ...settings };
  return { threads: faces.threads, minFaces: faces.minFaces, detectorSide: faces.detectorSide, modelsUrl: faces.modelsUrl ?? "" };
}

/**
 * The settings the section describes, or what cannot be sent. Only what the core could not
 * read is refused here; its range checks name the field ("(faces.minFaces)").
 */
export function toFacesSettings(form: FacesForm): { ok: true; value: FacesSettings } | { ok: false; message: string } {
  const threads = wholeNumber(form.threads);
  if (threads === null) {
    return {
      ok: false,
      message: `faces.threads must be a whole number from ${FACES_THREADS_MIN} to ${FACES_THREADS_MAX}.`,
    };
  }
  const minFaces = wholeNumber(form.minFaces);
  if (minFaces === null) {
    return { ok: false, message: `faces.minFaces must be a whole number from ${MIN_FACES_MIN} to ${MIN_FACES_MAX}.` };
  }
  const detectorSide = wholeNumber(form.detectorSide);
  if (detectorSide === null) return { ok: false, message: "faces.detectorSide must be one of the sizes offered." };
  const url = String(form.modelsUrl ?? "").trim();
  return { ok: true, value: { threads, minFaces, detectorSide, modelsUrl: url === "" ? null : url } };
}
