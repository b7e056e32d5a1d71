import { describe, expect, it } from "vitest";
import { formatWait, lockoutText, loginProblem } from "./loginModel";

describe("formatWait", () => {
  it("says a wait in words", () => {
    expect(formatWait(1)).toBe("1 second");
    expect(formatWait(45)).toBe("45 seconds");
    expect(formatWait(60)).toBe("1 minute");
    expect(formatWait(61)).toBe("1 minute 1 second");
    expect(formatWait(900)).toBe("15 minutes");
    expect(formatWait(3700)).toBe("1 hour 1 minute");
    expect(formatWait(7200)).toBe("2 hours");
    expect(formatWait(-5)).toBe("0 seconds");
  });
});

describe("loginProblem", () => {
  const now = 1_000_000;

  it("asks for the code on TotpRequired", () => {
    expect(loginProblem({ code: "TotpRequired", message: "Enter the code.", retryAfterSeconds: null }, now)).toEqual({
      code: "TotpRequired",
      message: "Enter the code.",
      askCode: true,
      lockedUntil: null,
    });
  });

  it("locks the form for as long as the server says", () => {
    const problem = loginProblem({ code: "LockedOut", message: "Too many attempts.", retryAfterSeconds: 300 }, now);
    expect(problem.lockedUntil).toBe(now + 300_000);
    expect(lockoutText(problem.lockedUntil, now)).toBe("Try again in 5 minutes.");
    expect(lockoutText(problem.lockedUntil, now + 299_500)).toBe("Try again in 1 second.");
    expect(lockoutText(problem.lockedUntil, now + 300_000)).toBeNull();
  });

  it("does not lock for a wrong password", () => {
    const problem = loginProblem({ code: "NotAuthenticated", message: "Wrong password.", retryAfterSeconds: null }, now);
    expect(problem).toMatchObject({ askCode: false, lockedUntil: null });
    expect(lockoutText(problem.lockedUntil, now)).toBeNull();
  });
});
