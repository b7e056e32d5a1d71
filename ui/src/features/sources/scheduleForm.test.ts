import { describe, expect, it } from "vitest";
import { cronProblem, defaultScheduleForm, formToSchedule, scheduleToForm, wholeNumber, type ScheduleForm } from "./scheduleForm";

const form = (patch: Partial<ScheduleForm>): ScheduleForm => ({ ...defaultScheduleForm(), ...patch });

describe("scheduleToForm", () => {
  it("shows an interval in the largest unit that divides it", () => {
    expect(scheduleToForm({ kind: "every", seconds: 1800 })).toMatchObject({ mode: "every", every: "30", unit: "minutes" });
    expect(scheduleToForm({ kind: "every", seconds: 7200 })).toMatchObject({ every: "2", unit: "hours" });
    expect(scheduleToForm({ kind: "every", seconds: 2 * 86_400 })).toMatchObject({ every: "2", unit: "days" });
    expect(scheduleToForm({ kind: "every", seconds: 5400 })).toMatchObject({ every: "90", unit: "minutes" });
  });

  it("keeps a cron expression and auto's bounds", () => {
    expect(scheduleToForm({ kind: "cron", expr: "0 */6 * * *" })).toMatchObject({ mode: "cron", cron: "0 */6 * * *" });
    expect(scheduleToForm({ kind: "auto", minMinutes: 15, maxMinutes: null })).toMatchObject({ mode: "auto", autoMin: "15", autoMax: "" });
  });
});

describe("formToSchedule", () => {
  it("round-trips every kind", () => {
    for (const schedule of [
      { kind: "every", seconds: 1800 },
      { kind: "every", seconds: 86_400 },
      { kind: "cron", expr: "30 8 * * 1-5" },
      { kind: "auto", minMinutes: 10, maxMinutes: 1440 },
      { kind: "auto", minMinutes: null, maxMinutes: null },
    ] as const) {
      const back = formToSchedule(scheduleToForm(schedule));
      expect(back).toEqual({ ok: true, schedule });
    }
  });

  it("turns N units into seconds", () => {
    expect(formToSchedule(form({ every: "45", unit: "minutes" }))).toEqual({ ok: true, schedule: { kind: "every", seconds: 2700 } });
    expect(formToSchedule(form({ every: " 3 ", unit: "days" }))).toEqual({ ok: true, schedule: { kind: "every", seconds: 259_200 } });
  });

  it("refuses what is not a whole number of minutes, or out of range", () => {
    for (const every of ["", "0", "-5", "1.5", "ten", "1e3"]) {
      const result = formToSchedule(form({ every, unit: "minutes" }));
      expect(result.ok ? null : result.problem.field, every).toBe("every");
    }
    const tooLong = formToSchedule(form({ every: "367", unit: "days" }));
    expect(tooLong.ok ? null : tooLong.problem.message).toMatch(/366 days/);
    expect(formToSchedule(form({ every: "366", unit: "days" })).ok).toBe(true);
    expect(formToSchedule(form({ every: "1", unit: "minutes" })).ok).toBe(true);
  });

  it("counts cron fields and normalises their spacing", () => {
    const four = formToSchedule(form({ mode: "cron", cron: "0 * * *" }));
    expect(four.ok ? null : four.problem).toEqual({ field: "cron", message: expect.stringMatching(/5 fields.*not 4/) });
    const six = formToSchedule(form({ mode: "cron", cron: "0 0 * * * *" }));
    expect(six.ok ? null : six.problem.message).toMatch(/not 6/);
    expect(formToSchedule(form({ mode: "cron", cron: "  0   */6 * *  * " }))).toEqual({
      ok: true,
      schedule: { kind: "cron", expr: "0 */6 * * *" },
    });
  });

  it("checks auto's bounds", () => {
    expect(formToSchedule(form({ mode: "auto", autoMin: "60", autoMax: "30" }))).toMatchObject({ ok: false, problem: { field: "autoMax" } });
    expect(formToSchedule(form({ mode: "auto", autoMin: "0" }))).toMatchObject({ ok: false, problem: { field: "autoMin" } });
    expect(formToSchedule(form({ mode: "auto", autoMax: "120" }))).toEqual({
      ok: true,
      schedule: { kind: "auto", minMinutes: null, maxMinutes: 120 },
    });
  });
});

describe("cronProblem", () => {
  it("accepts the usual forms", () => {
    for (const expr of ["* * * * *", "0 */6 * * *", "15,45 8-18 * * mon-fri", "0 0 1 JAN *", "0 12 * * 7"]) {
      expect(cronProblem(expr), expr).toBeNull();
    }
  });

  it("points at a value out of its field's range", () => {
    expect(cronProblem("61 * * * *")).toMatch(/minute field must be 0–59, not 61/);
    expect(cronProblem("0 24 * * *")).toMatch(/hour/);
    expect(cronProblem("0 0 0 * *")).toMatch(/day field must be 1–31/);
    expect(cronProblem("0 0 * 13 *")).toMatch(/month/);
    expect(cronProblem("0 0 * * 8")).toMatch(/weekday/);
    expect(cronProblem("0 0 * * $")).toMatch(/characters/);
    expect(cronProblem("   ")).toMatch(/Type a cron expression/);
  });
});

describe("wholeNumber", () => {
  it("reads whole numbers from 1", () => {
    expect(wholeNumber(" 12 ")).toBe(12);
    expect(wholeNumber("0")).toBeNull();
    expect(wholeNumber("1.0")).toBeNull();
    expect(wholeNumber("99999999999999999999")).toBeNull();
  });
});
