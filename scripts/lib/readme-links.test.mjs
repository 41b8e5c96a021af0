// @ts-check
// Every relative link in the repository's Markdown files names a file or directory that exists in the repository.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

/**
 * Relative link targets of a Markdown text (no URLs, anchors, mail or absolute paths; code spans ignored).
 * @param {string} text
 */
export function relativeLinks(text) {
  const withoutCode = text.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
  return [...withoutCode.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
    .map((m) => m[1] ?? "")
    .filter((t) => !/^([a-z][a-z0-9+.-]*:|#|\/)/i.test(t))
    .map((t) => decodeURIComponent(t.split("#")[0] ?? ""))
    .filter(Boolean);
}

test("relativeLinks finds file links only", () => {
  expect(
    relativeLinks(
      '[a](docs/x.md#part) [b](https://x) [c](#top) [d](/static/y) `[e](no.md)` [f](../up.md "t")',
    ),
  ).toEqual(["docs/x.md", "../up.md"]);
});

test("README links point at files in the repository", () => {
  // Tracked files only: a link to a file that exists here but is not committed would break in a fresh clone.
  const tracked = spawnSync("git", ["ls-files"], { cwd: ROOT, encoding: "utf8" })
    .stdout.split("\n")
    .filter(Boolean);
  const trackedSet = new Set(tracked);
  /** @param {string} rel */
  const inRepo = (rel) => trackedSet.has(rel) || tracked.some((f) => f.startsWith(`${rel}/`));
  const files = tracked.filter((f) => f.endsWith(".md"));
  expect(files).toContain("README.md");
  const broken = [];
  for (const file of files) {
    const full = path.join(ROOT, file);
    if (!fs.existsSync(full)) continue; // deleted in the work tree, not yet committed
    for (const target of relativeLinks(fs.readFileSync(full, "utf8"))) {
      const resolved = path.resolve(path.dirname(full), target);
      const rel = path.relative(ROOT, resolved);
      if (rel.startsWith("..") || !inRepo(rel)) broken.push(`${file} → ${target}`);
    }
  }
  expect(broken).toEqual([]);
});
