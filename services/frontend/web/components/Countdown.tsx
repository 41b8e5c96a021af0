import { useEffect, useRef, useState } from "react";

/** Whole seconds left until `expiresAt` (never negative). */
export function secondsLeft(expiresAt: string, now: number): number {
  return Math.max(0, Math.ceil((Date.parse(expiresAt) - now) / 1000));
}

/** "9:05" */
export function formatSeconds(total: number): string {
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${m}:${String(s).padStart(2, "0")}`;
}

/**
 * Ticks once a second down to `expiresAt` (the server's hold expiry) and calls `onExpire` once at zero.
 * `label` renders the text around the time, e.g. "Seat held for 9:05".
 */
export function Countdown({
  expiresAt,
  onExpire,
  label,
}: {
  expiresAt: string;
  onExpire: () => void;
  label: (time: string) => string;
}) {
  const [left, setLeft] = useState(() => secondsLeft(expiresAt, Date.now()));
  const expired = useRef(false);
  const onExpireRef = useRef(onExpire);
  onExpireRef.current = onExpire;
  useEffect(() => {
    expired.current = false;
    const tick = () => {
      const s = secondsLeft(expiresAt, Date.now());
      setLeft(s);
      if (s === 0 && !expired.current) {
        expired.current = true;
        onExpireRef.current();
      }
    };
    tick();
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }, [expiresAt]);
  return (
    <span role="timer" className={left <= 60 ? "countdown urgent" : "countdown"}>
      {label(formatSeconds(left))}
    </span>
  );
}
