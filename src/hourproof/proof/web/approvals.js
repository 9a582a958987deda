// Client approvals in report.html: check each "approval" leaf's signatures in the browser.
// Self-contained (crypto.subtle only; no DOM, no network), concatenated before verify.js.
// Rules: docs/bundle-format.md §7 and docs/witnesses.md; Python reference:
// hourproof/proof/approval_check.py. Defines one function, hourproofApprovals:
//
//   await hourproofApprovals(leaves, lines, contractor)
//     leaves: Map seq -> parsed leaf object; lines: Map seq -> the leaf's exact JCS line;
//     contractor: {origin: "hourproof.local/…", pub: Uint8Array(32)} (the bundle's key).
//   -> [{seq, kind, client, fingerprint, size, total_seconds, amounts, note, reason,
//        entries, signed_at, ok, problem, unsupported}]   (never throws)
async function hourproofApprovals(leaves, lines, contractor) {
  "use strict";
  const enc = new TextEncoder();

  function b64(text, what) {
    if (typeof text !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4) {
      throw new Error(what + " is not base64");
    }
    const bin = atob(text);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  function b64enc(bytes) {
    let s = "";
    for (const b of bytes) s += String.fromCharCode(b);
    return btoa(s);
  }
  function cat(...parts) {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) { out.set(p, at); at += p.length; }
    return out;
  }
  function same(a, b) { return a.length === b.length && a.every((x, i) => x === b[i]); }
  async function sha256(bytes) { return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)); }
  function u32(n) { return new Uint8Array([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]); }

  // RFC 8785 for what a statement holds: objects, arrays, strings, integers, null.
  function jcs(v) {
    if (v === null || typeof v === "string" || typeof v === "boolean") return JSON.stringify(v);
    if (typeof v === "number") {
      if (!Number.isSafeInteger(v)) throw new Error("numbers must be integers");
      return String(v);
    }
    if (Array.isArray(v)) return "[" + v.map(jcs).join(",") + "]";
    const keys = Object.keys(v).sort((a, b) => {
      // JCS sorts by UTF-16 code units, which is what < compares
      return a < b ? -1 : a > b ? 1 : 0;
    });
    return "{" + keys.map((k) => JSON.stringify(k) + ":" + jcs(v[k])).join(",") + "}";
  }

  async function verify(pub, sig, msg) {
    const key = await crypto.subtle.importKey("raw", pub, { name: "Ed25519" }, false, ["verify"]);
    return crypto.subtle.verify({ name: "Ed25519" }, key, sig, msg);
  }

  async function keyId(name, type, pub) {
    return (await sha256(cat(enc.encode(name + "\n"), new Uint8Array([type]), pub))).slice(0, 4);
  }

  async function parseCosigner(vkey) {
    const parts = typeof vkey === "string" ? vkey.split("+") : [];
    if (parts.length < 3) throw new Error("cosigner key is malformed");
    const name = parts[0], id = parts[1], raw = b64(parts.slice(2).join("+"), "cosigner key");
    if (raw.length !== 33 || raw[0] !== 0x04) throw new Error("cosigner key is not type 0x04");
    const pub = raw.slice(1);
    const want = await keyId(name, 0x04, pub);
    if (Array.from(want, (b) => b.toString(16).padStart(2, "0")).join("") !== id.toLowerCase()) {
      throw new Error("cosigner key id does not match");
    }
    return { name, pub };
  }

  async function fingerprint(pub) {
    const blob = cat(u32(11), enc.encode("ssh-ed25519"), u32(32), pub);
    return "SHA256:" + b64enc(await sha256(blob)).replace(/=+$/, "");
  }

  function sigLine(line) {
    if (!line.startsWith("\u2014 ")) throw new Error("bad signature line");
    const rest = line.slice(2), sp = rest.indexOf(" ");
    if (sp <= 0) throw new Error("bad signature line");
    return { name: rest.slice(0, sp), raw: b64(rest.slice(sp + 1), "signature") };
  }

  const FIELDS = ["kind", "origin", "contractor", "recipient", "period", "tree_size", "root",
    "total_seconds", "amounts", "note", "reason", "entries", "signed_at", "cosigner"];

  async function checkOne(a, client, contractor) {
    if (!a || a.format !== "hourproof-approval" || a.version !== 1) throw new Error("not an approval");
    const st = a.statement;
    if (!st || typeof st !== "object" || Object.keys(st).sort().join() !== [...FIELDS].sort().join()) {
      throw new Error("statement fields");
    }
    if (st.kind !== "approve" && st.kind !== "contest") throw new Error("statement kind");
    if (typeof client !== "string" || st.recipient !== client) {
      throw new Error("the statement's recipient is not the leaf's client");
    }
    if (!contractor || !contractor.pub || !contractor.origin) throw new Error("no contractor key");
    const who = await parseCosigner(st.cosigner);
    const message = enc.encode("hourproof-approval/v1\n" + jcs(st));
    if (!(await verify(who.pub, b64(a.signature, "signature"), message))) {
      throw new Error("the client's statement signature does not verify");
    }
    const note = a.checkpoint;
    const split = typeof note === "string" ? note.lastIndexOf("\n\n") : -1;
    if (split < 0 || !note.endsWith("\n")) throw new Error("checkpoint is not a signed note");
    const body = note.slice(0, split + 1);
    const lines = note.slice(split + 2, -1).split("\n").map(sigLine);
    const origin = contractor.origin;
    const cid = await keyId(origin, 0x01, contractor.pub);
    let byContractor = false, stamp = null;
    for (const { name, raw } of lines) {
      if (name === origin && raw.length === 68 && same(raw.slice(0, 4), cid)) {
        if (!(await verify(contractor.pub, raw.slice(4), enc.encode(body)))) {
          throw new Error("the contractor's checkpoint signature does not verify");
        }
        byContractor = true;
      } else if (name === who.name && raw.length === 76
                 && same(raw.slice(0, 4), await keyId(who.name, 0x04, who.pub))) {
        let t = 0n;
        for (const b of raw.slice(4, 12)) t = (t << 8n) | BigInt(b);
        const msg = enc.encode("cosignature/v1\ntime " + t.toString() + "\n" + body);
        if (!(await verify(who.pub, raw.slice(12), msg))) {
          throw new Error("the client's cosignature does not verify");
        }
        stamp = t;
      }
    }
    if (!byContractor) throw new Error("checkpoint not signed by the contractor's key");
    if (stamp === null) throw new Error("no cosignature by the client's key");
    const [o, size, root] = body.split("\n");
    if (o !== st.origin || o !== origin || size !== String(st.tree_size) || root !== st.root) {
      throw new Error("statement and checkpoint disagree");
    }
    return {
      kind: st.kind, client: st.recipient, fingerprint: await fingerprint(who.pub),
      size: st.tree_size, signed_at: st.signed_at, total_seconds: st.total_seconds,
      amounts: st.amounts, note: st.note, reason: st.reason, entries: st.entries,
    };
  }

  const out = [];
  const seqs = Array.from(leaves.keys()).sort((a, b) => a - b);
  for (const seq of seqs) {
    const leaf = leaves.get(seq);
    if (!leaf || leaf.kind !== "approval") continue;
    try {
      if (lines && lines.has(seq) && jcs(leaf) !== lines.get(seq)) {
        throw new Error("approval leaf is not in canonical form");
      }
      const r = await checkOne(leaf.approval, leaf.client, contractor);
      out.push({ seq, ok: true, problem: null, unsupported: false, ...r });
    } catch (e) {
      const problem = String(e && e.message ? e.message : e);
      const unsupported = !!e && e.name === "NotSupportedError"; // no Ed25519 in this browser
      const st = leaf && leaf.approval && leaf.approval.statement || {};
      out.push({
        seq, ok: false, problem: unsupported ? "Ed25519 unsupported: " + problem : problem,
        unsupported: !!unsupported, kind: st.kind || null, client: leaf.client || null,
        fingerprint: null, size: st.tree_size || null, total_seconds: st.total_seconds || null,
        amounts: st.amounts || null, note: st.note || null, reason: st.reason || null,
        entries: st.entries || null, signed_at: st.signed_at || null,
      });
    }
  }
  return out;
}
