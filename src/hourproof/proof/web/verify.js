/* hourproof report.html self-check. Runs offline, loads nothing, changes only the
 * verdict box, the key box and the list of checks. It re-checks the bundle data embedded
 * in the hp-data script element (gzip'd JSON, base64): checkpoint signatures (Ed25519,
 * WebCrypto), inclusion and consistency proofs (RFC 6962 SHA-256), the RFC 3161 tokens'
 * message imprints (their signatures are left to `openssl ts -verify`/`hourproof verify`),
 * and that every figure marked with data-f on the page equals what the verified entries
 * add up to (same fold, clipping and half-up rounding as hourproof's Python code).
 * SHA-256 runs synchronously in JavaScript (checked against WebCrypto first): tens of
 * thousands of awaited crypto.subtle.digest calls would take far longer. */
"use strict";
(function () {
  // ---- SHA-256 -----------------------------------------------------------------
  // One compression function over the 16 message words in W, chaining state in S.
  // Byte messages (sha256, leafHash) fill W from bytes; interior nodes of the Merkle tree
  // fill it straight from the two child hashes' words (nodeHashAt): no byte copies.
  const K = new Int32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
    0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
    0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
    0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
    0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
    0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
    0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2,
  ]);
  const W = new Int32Array(64);
  const S = new Int32Array(8);

  function start() {
    S[0] = 0x6a09e667; S[1] = 0xbb67ae85; S[2] = 0x3c6ef372; S[3] = 0xa54ff53a;
    S[4] = 0x510e527f; S[5] = 0x9b05688c; S[6] = 0x1f83d9ab; S[7] = 0x5be0cd19;
  }
  function compress() {
    // one 64-byte block, its words in W[0..15], into S
    for (let i = 16; i < 64; i++) {
      const a = W[i - 15], b = W[i - 2];
      const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
      const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
      W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
    }
    let a = S[0], b = S[1], c = S[2], d = S[3], e = S[4], f = S[5], g = S[6], h = S[7];
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[i] + W[i]) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    S[0] = (S[0] + a) | 0; S[1] = (S[1] + b) | 0; S[2] = (S[2] + c) | 0; S[3] = (S[3] + d) | 0;
    S[4] = (S[4] + e) | 0; S[5] = (S[5] + f) | 0; S[6] = (S[6] + g) | 0; S[7] = (S[7] + h) | 0;
  }
  function digestInto(buf, end) {
    // SHA-256 over buf[0:end], already padded (end is a multiple of 64), into S
    start();
    for (let off = 0; off < end; off += 64) {
      for (let i = 0, j = off; i < 16; i++, j += 4) {
        W[i] = (buf[j] << 24) | (buf[j + 1] << 16) | (buf[j + 2] << 8) | buf[j + 3];
      }
      compress();
    }
  }
  function stateBytes() {
    const out = new Uint8Array(32);
    for (let i = 0; i < 8; i++) {
      out[i * 4] = S[i] >>> 24; out[i * 4 + 1] = (S[i] >>> 16) & 255;
      out[i * 4 + 2] = (S[i] >>> 8) & 255; out[i * 4 + 3] = S[i] & 255;
    }
    return out;
  }
  function pad(buf, n) {
    // append the SHA-256 padding for an n-byte message; buf must be long enough
    buf[n] = 0x80;
    const end = (((n + 8) >>> 6) + 1) * 64;
    const bits = n * 8;
    buf[end - 5] = Math.floor(bits / 4294967296) & 255;
    buf[end - 4] = (bits >>> 24) & 255;
    buf[end - 3] = (bits >>> 16) & 255;
    buf[end - 2] = (bits >>> 8) & 255;
    buf[end - 1] = bits & 255;
    return end;
  }
  function sha256(data) {
    const buf = new Uint8Array((((data.length + 8) >>> 6) + 1) * 64);
    buf.set(data);
    digestInto(buf, pad(buf, data.length));
    return stateBytes();
  }

  // FIPS 180-4 / NIST CAVP examples: empty, one block, two blocks (448 bits), 1,000 'a's
  const SHA_VECTORS = [
    ["", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
    ["abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
    ["abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"],
    ["a".repeat(1000), "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"],
  ];

  // The hashes of the inclusion check live in one growing Int32Array, 8 big-endian words
  // each, named by their offset ("slot"): no object per hash, equal slots are equal hashes.
  let HS = new Int32Array(1 << 16);
  let hsTop = 0;
  function hsSlot() {
    if (hsTop + 8 > HS.length) { const grown = new Int32Array(HS.length * 2); grown.set(HS); HS = grown; }
    const o = hsTop;
    hsTop += 8;
    return o;
  }
  function hsFromState() {
    const o = hsSlot();
    HS[o] = S[0]; HS[o + 1] = S[1]; HS[o + 2] = S[2]; HS[o + 3] = S[3];
    HS[o + 4] = S[4]; HS[o + 5] = S[5]; HS[o + 6] = S[6]; HS[o + 7] = S[7];
    return o;
  }
  function hsFromBytes(bytes, at) {
    const o = hsSlot();
    for (let i = 0, j = at; i < 8; i++, j += 4) {
      HS[o + i] = (bytes[j] << 24) | (bytes[j + 1] << 16) | (bytes[j + 2] << 8) | bytes[j + 3];
    }
    return o;
  }
  function hsEq(x, y) {
    if (x === y) return true;
    for (let i = 0; i < 8; i++) if (HS[x + i] !== HS[y + i]) return false;
    return true;
  }
  function hsHex(o) {
    let s = "";
    for (let i = o; i < o + 8; i++) {
      const w = HS[i];
      s += HEX[w >>> 24] + HEX[(w >>> 16) & 255] + HEX[(w >>> 8) & 255] + HEX[w & 255];
    }
    return s;
  }
  // RFC 6962 interior node H(0x01 || left || right) of two slots, into a new slot. The
  // 65-byte message is the two hashes' words shifted by the one-byte prefix; the second
  // block is its last byte, the 0x80 pad and the bit length 520.
  function nodeHashAt(l, r) {
    start();
    let carry = 1;
    for (let i = 0; i < 8; i++) { const w = HS[l + i]; W[i] = (carry << 24) | (w >>> 8); carry = w & 255; }
    for (let i = 0; i < 8; i++) { const w = HS[r + i]; W[i + 8] = (carry << 24) | (w >>> 8); carry = w & 255; }
    compress();
    finalNodeBlock(carry);
    return hsFromState();
  }
  // The second block of a node hash depends on that one byte alone: its 64 schedule words
  // plus the round constants are computed once per byte value, so it costs the rounds only.
  const KW = new Int32Array(256 * 64);
  const KW_DONE = new Uint8Array(256);
  function finalNodeBlock(carry) {
    const at = carry * 64;
    if (KW_DONE[carry] === 0) {
      W[0] = (carry << 24) | 0x800000;
      for (let i = 1; i < 15; i++) W[i] = 0;
      W[15] = 520;
      for (let i = 16; i < 64; i++) {
        const a = W[i - 15], b = W[i - 2];
        const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
        const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
        W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
      }
      for (let i = 0; i < 64; i++) KW[at + i] = (K[i] + W[i]) | 0;
      KW_DONE[carry] = 1;
    }
    let a = S[0], b = S[1], c = S[2], d = S[3], e = S[4], f = S[5], g = S[6], h = S[7];
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const t1 = (h + S1 + ((e & f) ^ (~e & g)) + KW[at + i]) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    S[0] = (S[0] + a) | 0; S[1] = (S[1] + b) | 0; S[2] = (S[2] + c) | 0; S[3] = (S[3] + d) | 0;
    S[4] = (S[4] + e) | 0; S[5] = (S[5] + f) | 0; S[6] = (S[6] + g) | 0; S[7] = (S[7] + h) | 0;
  }
  // The same over byte arrays (consistency and client-map proofs: a few dozen hashes).
  const NODE = new Uint8Array(128);
  NODE[0] = 1;
  const NODE_END = pad(NODE, 65);
  function nodeHash(left, right) {
    NODE.set(left, 1);
    NODE.set(right, 33);
    digestInto(NODE, NODE_END);
    return stateBytes();
  }
  // RFC 6962 leaf hash H(0x00 || UTF-8 of the leaf line) into a new slot, encoded straight
  // into a reused, growing scratch buffer (20,000 leaves: no per-leaf copies).
  let LEAF = new Uint8Array(4096);
  function leafHashAt(text) {
    const need = text.length * 3 + 80;
    if (LEAF.length < need) LEAF = new Uint8Array(need * 2);
    LEAF[0] = 0;
    const n = 1 + utf8.encodeInto(text, LEAF.subarray(1)).written;
    const end = (((n + 8) >>> 6) + 1) * 64;
    LEAF.fill(0, n, end);
    digestInto(LEAF, pad(LEAF, n));
    return hsFromState();
  }

  // ---- bytes helpers -----------------------------------------------------------
  const utf8 = new TextEncoder();
  const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  function b64encode(bytes) {
    let out = "";
    for (let i = 0; i < bytes.length; i += 3) {
      const n = (bytes[i] << 16) | ((bytes[i + 1] || 0) << 8) | (bytes[i + 2] || 0);
      out += B64[n >> 18] + B64[(n >> 12) & 63];
      out += i + 1 < bytes.length ? B64[(n >> 6) & 63] : "=";
      out += i + 2 < bytes.length ? B64[n & 63] : "=";
    }
    return out;
  }
  function b64decode(text, what) {
    // strict: canonical RFC 4648 §4 only, as the Python side requires
    const alphabet = /^[A-Za-z0-9+/]*={0,2}$/;
    if (typeof text !== "string" || text.length % 4 !== 0) throw new Fail(what + " is not valid base64");
    if (typeof Uint8Array.fromBase64 === "function") {
      // native and strict: the alphabet, the padding and zero spare bits. It also skips
      // ASCII white space, which would leave fewer bytes than the length implies: only
      // then (or when it refuses) is the alphabet checked too (a regex over megabytes).
      let out = null;
      try { out = Uint8Array.fromBase64(text, { lastChunkHandling: "strict" }); } catch (e) { out = null; }
      const pad = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
      if (out !== null && out.length === (text.length / 4) * 3 - pad) return out;
      if (!alphabet.test(text)) throw new Fail(what + " is not valid base64");
      throw new Fail(what + " is not canonical base64");
    }
    if (!alphabet.test(text)) throw new Fail(what + " is not valid base64");
    const bin = atob(text);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    // atob checked the alphabet; only the last quantum can carry non-zero spare bits
    const tail = out.length % 3 === 0 ? 3 : out.length % 3;
    if (out.length && b64encode(out.subarray(out.length - tail)) !== text.slice(-4)) {
      throw new Fail(what + " is not canonical base64");
    }
    return out;
  }
  function eq(a, b) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  const HEX = Array.from({ length: 256 }, (_, i) => (i < 16 ? "0" : "") + i.toString(16));
  function hex(bytes) {
    let s = "";
    for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]];
    return s;
  }
  function concat(...parts) {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) { out.set(p, o); o += p.length; }
    return out;
  }
  function u32(n) {
    return new Uint8Array([(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
  }

  class Fail extends Error {
    constructor(message, element) { super(message); this.element = element || null; }
  }
  class Unsupported extends Error {}

  // ---- keys, notes, checkpoints ------------------------------------------------
  function parseVkey(text) {
    const vkey = text.replace(/\n$/, "");
    const m = /^([^+]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(vkey);
    if (!m) throw new Fail("contractor.vkey is malformed");
    const parts = m.slice(1);
    const raw = b64decode(parts[2], "contractor.vkey key");
    if (raw.length !== 33 || raw[0] !== 1) throw new Fail("contractor.vkey is not an Ed25519 key");
    const pub = raw.slice(1);
    const name = parts[0];
    const id = sha256(concat(utf8.encode(name + "\n"), new Uint8Array([1]), pub)).slice(0, 4);
    if (hex(id) !== parts[1]) throw new Fail("contractor.vkey key id does not match the key");
    const type = utf8.encode("ssh-ed25519");
    const blob = concat(u32(type.length), type, u32(32), pub);
    const blobHash = sha256(blob);
    const origin = "hourproof.local/" + hex(blobHash).slice(0, 16);
    if (name !== origin) throw new Fail("contractor.vkey names log " + name + ", not the key's own log " + origin);
    const fingerprint = "SHA256:" + b64encode(blobHash).replace(/=+$/, "");
    return { name, id, pub, fingerprint };
  }

  let edKey = null; // CryptoKey, or "unsupported"
  async function importKey(pub) {
    try {
      edKey = await crypto.subtle.importKey("raw", pub, { name: "Ed25519" }, false, ["verify"]);
    } catch (e) {
      edKey = "unsupported";
    }
  }

  async function openNote(note, key, what) {
    // c2sp.org/signed-note, as ledger/note.py reads it
    for (let i = 0; i < note.length; i++) {
      const c = note.charCodeAt(i);
      if (c < 0x20 && c !== 10) throw new Fail(what + ": control character in the note");
    }
    const split = note.lastIndexOf("\n\n");
    if (split < 0) throw new Fail(what + ": no blank line before the signatures");
    const text = note.slice(0, split + 1);
    const block = note.slice(split + 2);
    if (!block || !block.endsWith("\n")) throw new Fail(what + ": malformed signature block");
    let verified = false;
    for (const line of block.slice(0, -1).split("\n")) {
      if (!line.startsWith("\u2014 ")) throw new Fail(what + ": malformed signature line");
      const rest = line.slice(2);
      const sp = rest.indexOf(" ");
      if (sp < 0) throw new Fail(what + ": malformed signature line");
      const signer = rest.slice(0, sp);
      const raw = b64decode(rest.slice(sp + 1), what + " signature");
      if (raw.length < 5) throw new Fail(what + ": signature too short");
      if (signer !== key.name || !eq(raw.slice(0, 4), key.id)) continue; // other keys: ignored
      if (edKey === "unsupported") throw new Unsupported("Ed25519");
      const ok = await crypto.subtle.verify({ name: "Ed25519" }, edKey, raw.slice(4), utf8.encode(text));
      if (!ok) throw new Fail(what + ": bad signature by the contractor's key");
      verified = true;
    }
    if (!verified) throw new Fail(what + ": not signed by the contractor's key");
    return text;
  }

  function parseCheckpoint(text, key, what) {
    const lines = text.slice(0, -1).split("\n");
    if (lines.length < 3) throw new Fail(what + ": needs origin, size and root lines");
    if (lines[0] !== key.name) throw new Fail(what + ": origin " + lines[0] + " is not the contractor's log");
    if (!/^(0|[1-9][0-9]*)$/.test(lines[1])) throw new Fail(what + ": tree size is not a canonical decimal");
    const root = b64decode(lines[2], what + " root");
    if (root.length !== 32) throw new Fail(what + ": root is not 32 bytes");
    return { size: Number(lines[1]), root, extensions: lines.slice(3) };
  }

  // ---- RFC 6962 / 9162 proofs --------------------------------------------------
  function split(n) {
    // largest power of two strictly below n (n >= 2)
    if (n <= 4294967296) return 2 ** (31 - Math.clz32(n - 1));
    let k = 4294967296;
    while (k * 2 < n) k *= 2;
    return k;
  }
  function inclusionLength(index, size) {
    let n = 0, lo = 0, hi = size;
    while (hi - lo > 1) {
      const k = split(hi - lo);
      if (index - lo < k) hi = lo + k; else lo += k;
      n++;
    }
    return n;
  }
  // Indexes can exceed 2^31: plain arithmetic, never bit operators, on tree positions.
  // Every proof is checked on its own, but a parent already computed by the previous proof
  // from the very same two children (compared word for word) is reused, not re-hashed.
  // Leaves come in ascending order, so all disclosed leaves under one node are checked one
  // after another: remembering the last node of each level finds every reuse there is. A
  // node's key is its subtree (level, index), wherever RFC 9162's right-edge shifts put it.
  const lastIndex = new Float64Array(128).fill(-1);
  const lastLeft = new Int32Array(128), lastRight = new Int32Array(128), lastNode = new Int32Array(128);
  function parent(level, index, left, right) {
    if (lastIndex[level] === index && hsEq(lastLeft[level], left) && hsEq(lastRight[level], right)) return lastNode[level];
    const v = nodeHashAt(left, right);
    lastIndex[level] = index; lastLeft[level] = left; lastRight[level] = right; lastNode[level] = v;
    return v;
  }
  // proof: the slots of its hashes, proof[from .. from + len - 1]
  function verifyInclusion(index, size, leaf, proof, from, len, root) {
    if (!(index >= 0 && index < size)) throw new Fail("index " + index + " is outside a tree of size " + size);
    const expected = inclusionLength(index, size);
    if (len !== expected) throw new Fail("proof has " + len + " hashes, expected " + expected);
    let fn = index, sn = size - 1, r = leaf, level = 0;
    for (let k = from; k < from + len; k++) {
      const p = proof[k];
      if (sn === 0) throw new Fail("proof is longer than the path to the root");
      const up = Math.floor(fn / 2);
      if (fn % 2 === 1 || fn === sn) {
        r = parent(level + 1, up, p, r);
        while (fn !== 0 && fn % 2 === 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); level++; }
      } else {
        r = parent(level + 1, up, r, p);
      }
      fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); level++;
    }
    if (sn !== 0) throw new Fail("proof is shorter than the path to the root");
    if (!hsEq(r, root)) throw new Fail("proof leads to a different root");
  }
  function consistencyLength(size1, size2) {
    let n = 0, lo = 0, hi = size2, complete = true;
    while (size1 !== hi) {
      const k = split(hi - lo);
      if (size1 - lo <= k) hi = lo + k; else { lo += k; complete = false; }
      n++;
    }
    return complete ? n : n + 1;
  }
  function verifyConsistency(size1, size2, root1, root2, proof) {
    if (size2 < size1) throw new Fail("size2 is smaller than size1: a log cannot shrink");
    if (size1 === size2) {
      if (proof.length) throw new Fail("equal sizes need an empty proof");
      if (!eq(root1, root2)) throw new Fail("equal sizes but different roots");
      return;
    }
    if (size1 === 0) throw new Fail("a consistency proof from the empty tree is meaningless");
    if (proof.length !== consistencyLength(size1, size2)) throw new Fail("proof has the wrong number of hashes");
    const path = proof.slice();
    let pow2 = 1;
    while (pow2 < size1) pow2 *= 2;
    if (pow2 === size1) path.unshift(root1);
    let fn = size1 - 1, sn = size2 - 1;
    while (fn % 2 === 1) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
    let fr = path[0], sr = path[0];
    for (const c of path.slice(1)) {
      if (sn === 0) throw new Fail("proof is longer than the path to the root");
      if (fn % 2 === 1 || fn === sn) {
        fr = nodeHash(c, fr);
        sr = nodeHash(c, sr);
        while (fn !== 0 && fn % 2 === 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
      } else {
        sr = nodeHash(sr, c);
      }
      fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
    }
    if (sn !== 0) throw new Fail("proof is shorter than the path to the root");
    if (!eq(fr, root1)) throw new Fail("proof does not lead to the older root: the log was rewritten");
    if (!eq(sr, root2)) throw new Fail("proof does not lead to the newer root: the log was rewritten");
  }

  // ---- RFC 3161: just enough DER to read the message imprint and genTime ----------
  function der(bytes, pos) {
    if (pos + 2 > bytes.length) throw new Fail("truncated DER");
    const tag = bytes[pos];
    let len = bytes[pos + 1], p = pos + 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      if (n < 1 || n > 4) throw new Fail("unsupported DER length");
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + bytes[p++];
    }
    if (p + len > bytes.length) throw new Fail("truncated DER");
    return { tag, start: p, end: p + len, next: p + len };
  }
  function children(bytes, node) {
    const out = [];
    for (let p = node.start; p < node.end;) { const c = der(bytes, p); out.push(c); p = c.next; }
    return out;
  }
  function readToken(tsr) {
    const resp = der(tsr, 0);
    const [status, token] = children(tsr, resp);
    if (!status || !token) throw new Fail("no timestamp token in the response");
    const statusValue = children(tsr, status)[0];
    if (tsr[statusValue.start] > 1) throw new Fail("the TSA did not grant the timestamp");
    const [, content] = children(tsr, token); // contentType, [0] SignedData
    const signedData = children(tsr, content)[0];
    const encap = children(tsr, signedData)[2]; // version, digestAlgorithms, encapContentInfo
    const eContent = children(tsr, children(tsr, encap)[1])[0]; // [0] OCTET STRING
    const tst = der(tsr, eContent.start);
    const f = children(tsr, tst); // version, policy, messageImprint, serial, genTime, ...
    const imprint = children(tsr, f[2]);
    const hashed = tsr.slice(imprint[1].start, imprint[1].end);
    const alg = tsr.slice(children(tsr, imprint[0])[0].start, children(tsr, imprint[0])[0].end);
    if (hex(alg) !== "608648016503040201") throw new Fail("message imprint is not SHA-256");
    if (f[4].tag !== 0x18) throw new Fail("no genTime in the token");
    const g = String.fromCharCode(...tsr.slice(f[4].start, f[4].end));
    const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\.\d+)?Z$/.exec(g);
    if (!m) throw new Fail("genTime " + g + " is malformed");
    const when = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) / 1000;
    return { hashed, when };
  }

  // ---- the statement, recomputed (proof/statement.py, core/entries.py, core/summary.py)
  function time(text, what) {
    if (typeof text !== "string" || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(text)) {
      throw new Fail(what + " is not an RFC 3339 UTC time");
    }
    const ms = Date.parse(text);
    if (Number.isNaN(ms)) throw new Fail(what + " is not a valid time");
    return ms / 1000;
  }
  const CREATING = new Set(["entry.start", "entry.add", "import"]);
  const CHANGING = new Set(["entry.stop", "entry.amend", "entry.remove"]);
  const EVIDENCE = new Set(["git.commit", "file.activity"]);
  function text(v) { return typeof v === "string" && v ? v : null; }
  function rate(v) {
    if (!v || typeof v !== "object" || Array.isArray(v)) return null;
    if (!Number.isInteger(v.minor) || typeof v.currency !== "string") return null;
    return { minor: v.minor, currency: v.currency };
  }
  function fold(leaves) {
    const state = new Map();
    for (const [seq, leaf] of leaves) { // a Map seq -> leaf, in log order
      const kind = leaf.kind;
      if (CREATING.has(kind)) {
        state.set(seq, {
          id: seq, project: String(leaf.project), client: text(leaf.client), task: text(leaf.task),
          tags: (leaf.tags || []).map(String), note: text(leaf.note),
          start: time(leaf.start, "leaf " + seq + " start"),
          end: leaf.end ? time(leaf.end, "leaf " + seq + " end") : null,
          source: kind === "import" ? "imported" : String(leaf.source === undefined ? "manual" : leaf.source),
          rate: rate(leaf.rate), removed: false,
          evidence: (leaf.evidence || []).map(Number), leaves: [seq],
        });
      } else if (CHANGING.has(kind)) {
        const e = state.get(leaf.entry);
        if (!Number.isInteger(leaf.entry) || !e) throw new Fail("leaf " + seq + " changes entry " + leaf.entry + ", which is not disclosed");
        const n = Object.assign({}, e, { leaves: e.leaves.concat([seq]) });
        if (kind === "entry.stop") {
          n.end = time(leaf.end, "leaf " + seq + " end");
          n.note = text(leaf.note) || e.note;
        } else if (kind === "entry.remove") {
          n.removed = true;
        } else {
          for (const [k, v] of Object.entries(leaf.changes || {})) {
            if (k === "start" || k === "end") n[k] = v ? time(v, "leaf " + seq + " " + k) : null;
            else if (k === "tags") n.tags = (v || []).map(String);
            else if (k === "project") n.project = String(v);
            else n[k] = text(v);
          }
        }
        state.set(e.id, n);
      }
    }
    return state;
  }
  // Amounts in minor units are Numbers while exact (|value| < 2^53), BigInts beyond: the
  // same integers as Python's, without a BigInt per figure for ordinary rates.
  function amountFor(seconds, r) {
    // half-up: (seconds * minor + 1800) / 3600, truncated as BigInt division does
    const minor = r.minor;
    if (Number.isSafeInteger(minor) && Math.abs(seconds * minor) <= 4503599627370496) {
      const n = seconds * minor + 1800; // exact: below 2^53
      return (n - (n % 3600)) / 3600; // n - n % 3600 is an exact multiple of 3600
    }
    return (BigInt(seconds) * BigInt(minor) + 1800n) / 3600n;
  }
  function plus(a, b) {
    if (typeof a === "number" && typeof b === "number") {
      const sum = a + b;
      if (Number.isSafeInteger(sum)) return sum;
    }
    return BigInt(a) + BigInt(b);
  }

  // ---- formatting (proof/report_text.py, core/money.py) ---------------------------
  const EXP = { JPY: 0, KRW: 0, ISK: 0, CLP: 0, VND: 0, HUF: 2, XAF: 0, XOF: 0, BHD: 3, KWD: 3, OMR: 3, JOD: 3, TND: 3, IQD: 3, LYD: 3 };
  const TWO = Array.from({ length: 100 }, (_, i) => (i < 10 ? "0" : "") + i);
  function two(n) { return TWO[n] !== undefined ? TWO[n] : String(n).padStart(2, "0"); }
  // Civil date of a day count since 1970-01-01 (proleptic Gregorian, H. Hinnant's
  // algorithm): no Date object per figure; each day's text is made once.
  const DAYS = new Map();
  function dayOf(t) {
    const days = Math.floor(t / 86400);
    let text = DAYS.get(days);
    if (text === undefined) { text = civil(days); DAYS.set(days, text); }
    return text;
  }
  function civil(days) {
    const z = days + 719468;
    const era = Math.floor(z / 146097);
    const doe = z - era * 146097;
    const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
    const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    const mp = Math.floor((5 * doy + 2) / 153);
    const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
    const m = mp < 10 ? mp + 3 : mp - 9;
    const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
    return String(y).padStart(4, "0") + "-" + two(m) + "-" + two(d);
  }
  const CLOCKS = []; // minute of the day -> "HH:MM"
  function clock(t) {
    const minute = Math.floor((((t % 86400) + 86400) % 86400) / 60);
    let text = CLOCKS[minute];
    if (text === undefined) { text = two(Math.floor(minute / 60)) + ":" + two(minute % 60); CLOCKS[minute] = text; }
    return text;
  }
  function utc(t) { return dayOf(t) + " " + clock(t) + " UTC"; }
  function hours(s) { const sign = s < 0 ? "-" : ""; s = Math.abs(s); return sign + Math.floor(s / 3600) + ":" + two(Math.floor((s % 3600) / 60)); }
  function money(minor, cur) {
    const places = Object.hasOwn(EXP, cur) ? EXP[cur] : 2;
    if (typeof minor === "number") {
      const sign = minor < 0 ? "-" : "";
      const m = Math.abs(minor);
      if (places === 0) return sign + m + " " + cur;
      const p = 10 ** places, frac = m % p;
      return sign + (m - frac) / p + "." + String(frac).padStart(places, "0") + " " + cur;
    }
    const sign = minor < 0n ? "-" : "";
    if (minor < 0n) minor = -minor;
    if (places === 0) return sign + minor + " " + cur;
    const p = 10n ** BigInt(places);
    return sign + (minor / p) + "." + String(minor % p).padStart(places, "0") + " " + cur;
  }
  function amounts(map, empty) {
    const keys = Object.keys(map).sort();
    if (!keys.length) return empty === undefined ? "\u2014" : empty;
    return keys.map((k) => money(map[k], k)).join(" + ");
  }
  function grouped(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ","); } // Python's f"{n:,}"
  function cmp(a, b) { return a < b ? -1 : a > b ? 1 : 0; }

  // ---- the checks ----------------------------------------------------------------
  async function run(data) {
    const checks = [];
    const step = async (name, fn) => {
      const t0 = performance.now();
      try {
        const detail = await fn();
        checks.push({ name, ok: true, detail, ms: performance.now() - t0 });
      } catch (e) {
        if (e instanceof Unsupported) { checks.push({ name, ok: null, detail: "this browser cannot check Ed25519 signatures" }); return; }
        const detail = e instanceof Fail ? e.message : "cannot be checked (" + e + ")";
        if (e instanceof Fail && e.element) e.element.classList.add("hp-bad");
        checks.push({ name, ok: false, detail, marked: !!(e instanceof Fail && e.element) });
        throw new Stop();
      }
    };
    class Stop extends Error {}
    const ctx = { checkpoints: new Map(), tokens: new Map(), byHash: new Map(), hashOf: new Map(), lines: new Map() };
    try {
      await step("SHA-256 self-test", async () => {
        for (const [message, want] of SHA_VECTORS) {
          if (hex(sha256(utf8.encode(message))) !== want) throw new Fail("SHA-256 is broken (a known test vector fails)");
        }
        // the two fast paths of the inclusion check against the plain one: leaf hashes
        // (UTF-8 straight into the scratch buffer), and interior nodes from words, with the
        // precomputed second block for values of its one message byte on both sides of
        // the sign bit
        const leafText = "hourproof sha-256 self-test \u00e9\u2014\ud83d\ude00 " + data.leaves.length + " ".repeat(70);
        const leafBytes = concat(new Uint8Array([0]), utf8.encode(leafText));
        if (hsHex(leafHashAt(leafText)) !== hex(sha256(leafBytes))) throw new Fail("SHA-256 is broken (leaf hash)");
        const left = sha256(utf8.encode("left")), right = sha256(utf8.encode("right"));
        const nodes = [];
        for (const c of [0, 1, 0x5a, 0x7f, 0x80, 0x81, 0xa5, 0xfe, 0xff]) {
          right[31] = c;
          const fast = hsHex(nodeHashAt(hsFromBytes(left, 0), hsFromBytes(right, 0)));
          if (fast !== hex(nodeHash(left, right))) throw new Fail("SHA-256 is broken (interior node, byte " + c + ")");
          nodes.push(fast);
        }
        if (crypto && crypto.subtle) {
          const probes = [leafBytes, concat(new Uint8Array([1]), left, right), utf8.encode(nodes.join(""))];
          const theirs = await Promise.all(probes.map((b) => crypto.subtle.digest("SHA-256", b)));
          for (let i = 0; i < probes.length; i++) {
            if (!eq(sha256(probes[i]), new Uint8Array(theirs[i]))) throw new Fail("the page's SHA-256 disagrees with WebCrypto");
          }
          return "matches the known test vectors and WebCrypto";
        }
        return "matches the known test vectors (no WebCrypto here)";
      });
      await step("contractor key", async () => {
        ctx.key = parseVkey(data.vkey);
        await importKey(ctx.key.pub);
        showKey(ctx.key.fingerprint);
        if (ctx.key.fingerprint !== data.fingerprint) throw new Fail("the page names fingerprint " + data.fingerprint + ", the embedded key is " + ctx.key.fingerprint);
        return ctx.key.fingerprint;
      });
      await step("checkpoint signatures", async () => {
        const sizes = Object.keys(data.checkpoints);
        if (!sizes.length) throw new Fail("no checkpoints embedded");
        let unsupported = false;
        for (const name of sizes) {
          const what = "anchors/" + name + ".checkpoint";
          let body;
          try {
            body = await openNote(data.checkpoints[name], ctx.key, what);
          } catch (e) {
            if (!(e instanceof Unsupported)) throw e;
            unsupported = true;
            body = data.checkpoints[name].slice(0, data.checkpoints[name].lastIndexOf("\n\n") + 1);
          }
          const cp = parseCheckpoint(body, ctx.key, what);
          if (String(cp.size) !== name) throw new Fail(what + " holds size " + cp.size + ", not the size in its name");
          ctx.checkpoints.set(cp.size, Object.assign(cp, { note: data.checkpoints[name] }));
        }
        ctx.export = ctx.checkpoints.get(data.tree_size);
        if (!ctx.export) throw new Fail("the export checkpoint (size " + data.tree_size + ") is missing");
        if (unsupported) throw new Unsupported("Ed25519");
        return sizes.length + " checkpoints signed by the contractor's key";
      });
      await step("log consistency", async () => {
        const edges = [];
        for (const [name, json] of Object.entries(data.consistency)) {
          const what = "anchors/" + name + ".consistency.json";
          const m = /^(\d+)-(\d+)$/.exec(name);
          let body;
          try { body = JSON.parse(json); } catch (e) { throw new Fail(what + " is not JSON"); }
          const a = Number(m[1]), b = Number(m[2]);
          if (body.size1 !== a || body.size2 !== b) throw new Fail(what + ": sizes inside do not match its name");
          const r1 = b64decode(body.root1, what + " root1"), r2 = b64decode(body.root2, what + " root2");
          for (const [size, root] of [[a, r1], [b, r2]]) {
            const cp = ctx.checkpoints.get(size);
            if (!cp) throw new Fail(what + ": no signed checkpoint of size " + size);
            if (!eq(cp.root, root)) throw new Fail(what + ": root of size " + size + " differs from its signed checkpoint");
          }
          if (!Array.isArray(body.proof)) throw new Fail(what + ": proof is not a list");
          try {
            verifyConsistency(a, b, r1, r2, body.proof.map((h, i) => b64decode(h, what + " hash " + i)));
          } catch (e) {
            throw new Fail(what + ": log was rewritten between sizes " + a + " and " + b + " (" + e.message + ")");
          }
          edges.push([a, b]);
        }
        for (const size of ctx.checkpoints.keys()) {
          if (size > data.tree_size) throw new Fail("anchors/" + size + ".checkpoint is beyond the export size");
          const seen = new Set([size]);
          const todo = [size];
          while (todo.length) { const s = todo.pop(); for (const [a, b] of edges) if (a === s && !seen.has(b)) { seen.add(b); todo.push(b); } }
          if (!seen.has(data.tree_size)) throw new Fail("anchors/" + size + ".checkpoint is not proven to be part of the exported log");
        }
        return edges.length + " consistency proofs; the log only grew";
      });
      await step("timestamp tokens", async () => {
        for (const [name, b64] of Object.entries(data.tokens)) {
          const what = "anchors/" + name + ".tsr";
          const cp = ctx.checkpoints.get(Number(name));
          if (!cp) throw new Fail(what + ": no checkpoint of that size");
          let tok;
          try { tok = readToken(b64decode(b64, what)); } catch (e) { throw new Fail(what + ": " + e.message); }
          if (!eq(tok.hashed, sha256(utf8.encode(cp.note)))) throw new Fail(what + " is not a timestamp of anchors/" + name + ".checkpoint");
          ctx.tokens.set(Number(name), tok.when);
        }
        const n = ctx.tokens.size;
        return n ? n + " tokens over their checkpoints' exact bytes; times claimed, signatures not checked here" : "no timestamp tokens: every entry is Self-reported";
      });
      await step("entry inclusion", async () => {
        const nodes = b64decode(data.nodes, "proof hashes");
        const count = Math.floor(nodes.length / 32);
        const base = hsTop; // proof hash i is the slot base + 8 i
        for (let o = 0; o + 32 <= nodes.length; o += 32) hsFromBytes(nodes, o);
        const root = hsFromBytes(ctx.export.root, 0);
        const size = ctx.export.size;
        const paths = data.paths, pathLen = data.path_len, proofIndex = data.proof_index;
        const path = []; // the current proof's slots, reused
        ctx.leaves = new Map();
        let pos = 0, previous = -1;
        for (let i = 0; i < data.leaves.length; i++) {
          const line = data.leaves[i];
          let leaf;
          try { leaf = JSON.parse(line); } catch (e) { throw new Fail("entries.jsonl line " + (i + 1) + " is not JSON"); }
          const seq = leaf && leaf.seq;
          if (!Number.isInteger(seq) || seq <= previous) throw new Fail("entries.jsonl line " + (i + 1) + ": leaf " + seq + " is out of order");
          previous = seq;
          const len = pathLen[i];
          if (len < 0) throw new Fail("proofs/" + seq + ".tlog-proof: missing inclusion proof for leaf " + seq);
          if (proofIndex[i] !== seq) throw new Fail("proofs/" + seq + ".tlog-proof: proves index " + proofIndex[i] + ", not " + seq);
          if (data.proof_checkpoint[seq] !== undefined) throw new Fail("proofs/" + seq + ".tlog-proof: its checkpoint is not the export checkpoint");
          for (let k = 0; k < len; k++) {
            const at = paths[pos + k];
            if (!(at >= 0 && at < count && at % 1 === 0)) throw new Fail("proof hash " + at + " is missing");
            path[k] = base + at * 8;
          }
          pos += len;
          try {
            const lh = leafHashAt(line);
            verifyInclusion(seq, size, lh, path, 0, len, root);
            const h = hsHex(lh);
            ctx.byHash.set(h, seq);
            ctx.hashOf.set(seq, h);
          } catch (e) {
            throw new Fail("proofs/" + seq + ".tlog-proof: leaf " + seq + " is not in the signed log (" + e.message + ")");
          }
          ctx.leaves.set(seq, leaf);
          ctx.lines.set(seq, line);
        }
        if (data.extra_proofs.length) throw new Fail("proofs/" + data.extra_proofs[0] + ".tlog-proof: proof for a leaf that is not disclosed");
        if (!ctx.leaves.size) throw new Fail("no entries disclosed");
        return ctx.leaves.size + " leaves are in the signed log of size " + ctx.export.size;
      });
      await step("completeness", async () => data.completeness === null
        ? "no completeness data (bundle format 1): a leaf left out of this bundle would not be noticed"
        : completeness(data, ctx));
      if (typeof hourproofApprovals === "function") {
        await step("client approvals", async () => approvals(ctx, data));
      }
      await step("figures", async () => figures(data, ctx));
    } catch (e) {
      if (!(e instanceof Stop)) checks.push({ name: "verifier", ok: false, detail: String(e) });
    }
    return checks;
  }

  // ---- completeness (bundle format v2, docs/bundle-format.md section 6) ----------------
  function u64(n) {
    const out = new Uint8Array(8);
    let v = BigInt(n);
    for (let i = 7; i >= 0; i--) { out[i] = Number(v & 255n); v >>= 8n; }
    return out;
  }
  function bitOf(id, i) { return (id[i >> 3] >> (7 - (i & 7))) & 1; }
  function mapRoot(cp, what) {
    const ext = cp.extensions.filter((l) => l.startsWith("hourproof-clients/v1 "));
    if (ext.length !== 1) throw new Fail(what + " carries no client map");
    const m = /^hourproof-clients\/v1 (0|[1-9][0-9]*) (\S+)$/.exec(ext[0]);
    if (!m) throw new Fail(what + ": malformed client map line");
    return { from: Number(m[1]), root: b64decode(m[2], what + " map root") };
  }
  function hexBytes(h, what) {
    if (typeof h !== "string" || !/^([0-9a-f]{2})*$/.test(h)) throw new Fail(what + " is not hex");
    const out = new Uint8Array(h.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = parseInt(h.substr(i * 2, 2), 16);
    return out;
  }
  function mapLeaf(id, count, head) {
    return sha256(concat(new Uint8Array([0]), id, u64(count), head));
  }
  function verifyMap(id, item, root, what) {
    if (!Array.isArray(item.proof)) throw new Fail(what + ": map proof is not a list");
    const sibs = item.proof.map((h, i) => b64decode(h, what + " map hash " + i));
    const d = sibs.length;
    if (d > 256) throw new Fail(what + ": map proof too long");
    let h;
    if (item.count > 0) {
      h = mapLeaf(id, item.count, hexBytes(item.head, what + " head"));
    } else if (item.other) {
      const oid = hexBytes(item.other.id, what + " other id");
      if (oid.length !== 32 || eq(oid, id)) throw new Fail(what + ": bad absence proof");
      for (let i = 0; i < d; i++) if (bitOf(oid, i) !== bitOf(id, i)) throw new Fail(what + ": absence proof names an entry off the path");
      h = mapLeaf(oid, item.other.count, hexBytes(item.other.head, what + " other head"));
    } else {
      h = new Uint8Array(32);
    }
    for (let j = 0; j < d; j++) {
      h = bitOf(id, d - 1 - j) ? nodeHash(sibs[j], h) : nodeHash(h, sibs[j]);
    }
    if (!eq(h, root)) throw new Fail(what + ": this client's map entry does not lead to the signed map root");
  }
  function completeness(data, ctx) {
    let c;
    try { c = JSON.parse(data.completeness); } catch (e) { throw new Fail("completeness.json is not JSON"); }
    if (!c || !c.client || !Array.isArray(c.maps)) throw new Fail("completeness.json lacks client or maps");
    const secret = b64decode(c.client.secret, "completeness.json client secret");
    const id = sha256(concat(utf8.encode("hourproof-client-v1"), secret));
    if (hex(id) !== c.client.id) throw new Fail("completeness.json: the client id is not the hash of its secret");
    const from = c.from;
    if (!Number.isInteger(from) || from < 0) throw new Fail("completeness.json: from is not an index");
    const maps = new Map();
    let lastSize = -1;
    for (const item of c.maps) {
      const what = "completeness.json map at size " + item.size;
      if (!Number.isInteger(item.size) || item.size <= lastSize) throw new Fail(what + ": sizes must ascend");
      lastSize = item.size;
      const cp = ctx.checkpoints.get(item.size);
      if (!cp) throw new Fail(what + ": no signed checkpoint of that size");
      const mr = mapRoot(cp, "anchors/" + item.size + ".checkpoint");
      if (mr.from !== from) throw new Fail(what + ": the checkpoint says chains start at " + mr.from + ", not " + from);
      if (!Number.isInteger(item.count) || item.count < 0) throw new Fail(what + ": bad count");
      verifyMap(id, item, mr.root, what);
      maps.set(item.size, item);
    }
    for (const [size, cp] of ctx.checkpoints) {
      const ext = cp.extensions.filter((l) => l.startsWith("hourproof-clients/v1 "));
      if (ext.length && mapRoot(cp, "anchors/" + size + ".checkpoint").from !== from) throw new Fail("anchors/" + size + ".checkpoint disagrees on where chains start");
    }
    const top = maps.get(data.tree_size);
    if (!top) throw new Fail("completeness.json has no map entry at the export size " + data.tree_size);
    const since = c.since ? c.since.size : null;
    let k0 = 0, sinceHead = null;
    if (since !== null) {
      if (!ctx.checkpoints.has(since)) throw new Fail("completeness.json: the previous bundle's checkpoint (size " + since + ") is not embedded");
      const it = maps.get(since);
      if (it && it.count > 0) { k0 = it.count; sinceHead = it.head; }
    }
    if (top.count < k0) throw new Fail("this client's chain shrank since the previous bundle");
    // walk the chain back from the export head
    const walked = new Map(); // n -> seq
    let head = top.count > k0 ? top.head : null, n = top.count, after = null;
    while (n > k0) {
      const seq = ctx.byHash.get(head);
      if (seq === undefined) {
        throw new Fail("leaf number " + n + " of this client's chain is not disclosed" + (after === null ? "" : " (it comes before leaf " + after + ")"));
      }
      const chain = ctx.leaves.get(seq).chain;
      if (!chain || chain.n !== n) throw new Fail("leaf " + seq + " is not number " + n + " of this client's chain");
      walked.set(n, seq);
      after = seq;
      head = chain.prev;
      n -= 1;
      if (n === k0 && head !== sinceHead) throw new Fail("this client's chain does not continue from the previous bundle (leaf " + seq + ")");
    }
    const onWalk = new Set(walked.values());
    // as proof/completeness.py: a chained leaf off the walk is another client's (or a
    // fork) unless it is older than the previous bundle; an entry leaf written after
    // chains began must carry one; no other client's rate.
    for (const [seq, leaf] of ctx.leaves) {
      if (!onWalk.has(seq)) {
        if (leaf.chain) {
          if (since === null || seq >= since) throw new Fail("leaf " + seq + " is chained but not on this client's chain (another client's leaf, or a fork)");
        } else if (seq >= from && (CREATING.has(leaf.kind) || CHANGING.has(leaf.kind))) {
          throw new Fail("leaf " + seq + " is an entry leaf without a chain, written after chains began at index " + from);
        }
      }
      if (leaf.kind === "rate.set" && leaf.scope === "client" && leaf.name !== data.client) {
        throw new Fail("leaf " + seq + " sets another client's rate");
      }
    }
    for (const [size, item] of maps) {
      if (since !== null && size <= since) continue;
      const want = [...walked.values()].filter((seq) => seq < size).length + k0;
      if (item.count !== want) throw new Fail("the map at size " + size + " counts " + item.count + " leaves of this client, the chain has " + want);
      const h = want > k0 ? ctx.hashOf.get(walked.get(want)) : sinceHead;
      if (want > 0 && item.head !== h) throw new Fail("the map at size " + size + " names another head of this client's chain");
    }
    return (top.count - k0) + " leaves about this client since " + (since === null ? "the start of the log" : "its previous bundle (size " + since + ")") + ", every one disclosed";
  }

  // Client approvals and contests (web/approvals.js, issue 12): signed by the client's
  // key over a statement of this log; listed, and red when any signature fails.
  async function approvals(ctx, data) {
    const contractor = { origin: ctx.key.name, pub: ctx.key.pub };
    const found = await hourproofApprovals(ctx.leaves, ctx.lines, contractor); // web/approvals.js
    if (!found.length) return "none in this bundle";
    const foreign = found.find((a) => a.client !== data.client);
    if (foreign) throw new Fail((foreign.kind || "approval") + " at log size " + foreign.size + " is by client " + JSON.stringify(foreign.client) + ", not " + JSON.stringify(data.client));
    const bad = found.find((a) => a.ok === false && !a.unsupported);
    if (bad) throw new Fail((bad.kind || "approval") + " at log size " + bad.size + ": " + (bad.problem || "does not verify"));
    if (found.some((a) => a.unsupported || a.ok === null)) throw new Unsupported("Ed25519");
    return found.map((a) => a.kind + " by " + (a.fingerprint || "the client") + " at log size " + a.size + (a.note ? " (\u201c" + a.note + "\u201d)" : "")).join("; ");
  }

  // The fields a figure can name, as bits of the set of those a row shows.
  const FIELD_BIT = Object.assign(Object.create(null), {
    d: 1, s: 2, h: 4, p: 8, w: 16, a: 32, r: 64, l: 128, k: 256, n: 512, z: 1024, t: 2048,
    client: 4096, fpr: 8192, size: 16384, period: 32768,
  });
  function figures(data, ctx) {
    const lo = time(data.from, "period start"), hi = time(data.to, "period end");
    const entries = fold(ctx.leaves);
    const anchors = [...ctx.tokens.entries()];
    // row -> {f: field -> the text the verified entries give, seen: bits of the fields
    // the page shows, list: the table an entry row belongs in, times: rows shown}
    const expect = new Map();
    const put = (row, fields, list) => {
      const old = expect.get(row);
      if (old === undefined) expect.set(row, { f: fields, seen: 0, list: list === undefined ? null : list, times: 0 });
      else Object.assign(old.f, fields);
    };
    const report = [...entries.values()].sort((a, b) => cmp(a.start, b.start) || cmp(a.id, b.id));
    for (const e of report) {
      if (e.client !== data.client) throw new Fail("entry " + e.id + " is for client " + JSON.stringify(e.client) + ", not " + JSON.stringify(data.client));
      for (const i of e.evidence) {
        const c = ctx.leaves.get(i);
        if (!c || !EVIDENCE.has(c.kind)) throw new Fail("entry " + e.id + " cites evidence leaf " + i + ", which is not disclosed as evidence");
      }
      const end = e.end === null ? e.start : e.end;
      const seconds = e.end === null ? 0 : Math.max(0, e.end - e.start);
      const days = Math.round((Math.floor(end / 86400) * 86400 - Math.floor(e.start / 86400) * 86400) / 86400);
      const inside = Math.max(0, Math.min(end, hi) - Math.max(e.start, lo));
      let last = -Infinity;
      for (const seq of e.leaves) if (seq > last) last = seq;
      let rec = null; // the earliest timestamp over a tree that holds every leaf of the entry
      for (const [size, when] of anchors) if (size > last && (rec === null || when < rec)) rec = when;
      const label = rec === null || e.source === "imported" ? "Self-reported" : "Recorded by";
      put("e" + e.id, {
        d: dayOf(e.start),
        s: clock(e.start) + "\u2013" + clock(end) + (days ? " (+" + days + " d)" : ""),
        h: hours(seconds),
        p: e.removed || inside === seconds ? "" : hours(inside) + " in period",
        w: e.project + (e.task ? " \u00b7 " + e.task : ""),
        a: e.rate ? money(amountFor(seconds, e.rate), e.rate.currency) : "\u2014",
        r: rec === null ? "" : (label === "Recorded by" ? "" : "in log by ") + utc(rec),
        l: label,
      }, e.removed ? "removed" : "counted");
    }
    // summary rows per (UTC day, project, currency), clipped to the period
    const acc = new Map();
    for (const e of entries.values()) {
      if (e.removed || e.end === null) continue;
      const start = Math.max(e.start, lo), end = Math.min(e.end, hi);
      if (end <= start) continue;
      const cur = e.rate ? e.rate.currency : "";
      for (let cursor = start; cursor < end;) {
        const stop = Math.min(end, (Math.floor(cursor / 86400) + 1) * 86400);
        const day = dayOf(cursor), s = stop - cursor;
        const k = JSON.stringify([day, e.project, cur]);
        let slot = acc.get(k);
        if (slot === undefined) { slot = { day, project: e.project, cur, seconds: 0, minor: 0 }; acc.set(k, slot); }
        slot.seconds += s;
        if (e.rate) slot.minor = plus(slot.minor, amountFor(s, e.rate));
        cursor = stop;
      }
    }
    const total = { seconds: 0, amounts: {} };
    const lines = { day: new Map(), project: new Map() };
    for (const slot of acc.values()) {
      total.seconds += slot.seconds;
      if (slot.cur) total.amounts[slot.cur] = plus(total.amounts[slot.cur] || 0, slot.minor);
      for (const [kind, key] of [["day", slot.day], ["project", slot.project]]) {
        const line = lines[kind].get(key) || { seconds: 0, amounts: {} };
        line.seconds += slot.seconds;
        if (slot.cur) line.amounts[slot.cur] = plus(line.amounts[slot.cur] || 0, slot.minor);
        lines[kind].set(key, line);
      }
    }
    for (const kind of ["day", "project"]) {
      for (const [key, line] of lines[kind]) {
        put(kind[0] + ":" + key, { k: key, h: hours(line.seconds), a: amounts(line.amounts) });
      }
    }
    let removed = 0;
    for (const e of report) if (e.removed) removed++;
    put("total", { h: hours(total.seconds), a: amounts(total.amounts) });
    put("card", {
      h: hours(total.seconds) + " h", a: amounts(total.amounts, "no rate set"),
      n: String(report.length - removed), r: String(removed),
    });
    put("meta", {
      client: data.client, fpr: ctx.key.fingerprint, size: grouped(data.tree_size) + " leaves",
      period: utc(lo) + " up to (not including) " + utc(hi),
    });
    for (const [size, when] of anchors) put("anchor:" + size, { z: grouped(size), t: utc(when) });
    // compare with what the page shows, in document order. First read the rows and figures
    // out of the DOM (the part that costs: a wrapper and three calls per element), then
    // compare in plain JavaScript; a figure outside its row fails in its place in order.
    const holders = [], names = [];
    const figRow = [], figField = [], figText = [], figInside = [], figEl = [];
    let holder = null, row = null;
    const rowEls = new Set(document.querySelectorAll("[data-row]")); // no data-row call per figure
    for (const el of document.querySelectorAll("[data-row], [data-f]")) {
      const name = rowEls.has(el) ? el.getAttribute("data-row") : null;
      const field = el.getAttribute("data-f");
      if (name !== null) {
        holder = el;
        row = name;
        holders.push(el);
        names.push(name);
        if (field === null) continue;
      }
      figRow.push(row);
      figField.push(field);
      figText.push(el.textContent);
      figInside.push(holder !== null && (holder === el || holder.contains(el)));
      figEl.push(el);
    }
    for (let i = 0; i < figEl.length; i++) {
      const row = figRow[i], field = figField[i], value = figText[i];
      if (!figInside[i]) throw new Fail("the page shows a figure outside the rows it checks (\u201c" + value + "\u201d)", figEl[i]);
      const want = expect.get(row);
      const bit = FIELD_BIT[field];
      const expected = want === undefined || bit === undefined ? undefined : want.f[field];
      if (expected === undefined) throw new Fail("the page shows a figure the entries do not support (" + row + "|" + field + ": \u201c" + value + "\u201d)", figEl[i]);
      if (value !== expected) throw new Fail(describe(row + "|" + field) + " shows \u201c" + value + "\u201d, the verified entries give \u201c" + expected + "\u201d", figEl[i]);
      want.seen |= bit;
    }
    for (let i = 0; i < holders.length; i++) {
      const rec = expect.get(names[i]);
      if (rec === undefined) throw new Fail("the page lists " + names[i] + ", which the verified entries do not contain");
      if (rec.list !== null) {
        if (++rec.times > 1) throw new Fail(describe(names[i] + "|x") + " is listed twice", holders[i]);
        const list = holders[i].closest("[data-list]");
        const where = list ? list.getAttribute("data-list") : "?";
        if (where !== rec.list) throw new Fail(describe(names[i] + "|x") + " is listed as " + where + ", the verified entries say " + rec.list);
      }
    }
    let count = 0;
    for (const [name, rec] of expect) {
      for (const field in rec.f) {
        if (rec.seen & FIELD_BIT[field]) count++;
        else if (rec.f[field] !== "") throw new Fail(describe(name + "|" + field) + " is not shown on the page");
      }
    }
    // every number cell and summary value is a figure itself or starts with one: the
    // selector finds only the cells that are neither (none on a genuine page), without a
    // wrapper per cell; a browser without :has() walks them all
    let unchecked;
    try {
      unchecked = document.querySelectorAll(
        "table.figures td.num:not([data-f]):not(:has(> [data-f]:first-child)), .card .v:not([data-f]):not(:has(> [data-f]:first-child))");
    } catch (e) {
      unchecked = [...document.querySelectorAll("table.figures td.num, .card .v")].filter((el) => {
        const first = el.firstElementChild;
        return !el.hasAttribute("data-f") && !(first && first.hasAttribute("data-f"));
      });
    }
    if (unchecked.length) throw new Fail("the page shows a figure that is not checked: \u201c" + unchecked[0].textContent + "\u201d");
    return count + " figures equal the sums of the " + entries.size + " verified entries";
  }
  function describe(key) {
    const [row, field] = key.split("|");
    const names = { d: "date", s: "time span", h: "hours", p: "part in period", w: "project", a: "amount", r: "recorded-by time", l: "label", x: "status", k: "name", t: "timestamp time", z: "log size", x: "status", n: "entry count", client: "client", fpr: "key fingerprint", size: "log size", period: "period" };
    const where = row.startsWith("e") ? "entry #" + row.slice(1) : row.startsWith("d:") ? "the total of day " + row.slice(2) : row.startsWith("p:") ? "the total of project " + row.slice(2) : row === "total" ? "the grand total" : row === "card" ? "the summary" : row;
    return where + " (" + (names[field] || field) + ")";
  }

  // ---- showing the result ------------------------------------------------------------
  function el(tag, cls, textValue) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (textValue !== undefined) e.textContent = textValue;
    return e;
  }
  function showKey(fpr) {
    const box = document.getElementById("fpr-computed");
    if (box) box.textContent = "Computed by this page from the embedded key: " + fpr;
  }
  function showVerdict(checks) {
    const v = document.getElementById("verdict");
    const failed = checks.find((c) => c.ok === false);
    const unsupported = checks.find((c) => c.ok === null);
    let state, title, detail;
    if (failed) {
      state = "failed";
      title = "NOT VERIFIED \u2014 " + failed.name + " failed";
      const first = failed.detail.split(" ")[0];
      const sentence = /^[a-z]+$/.test(first) ? first.charAt(0).toUpperCase() + failed.detail.slice(1) : failed.detail;
      detail = sentence + (failed.marked ? " (marked in red on the page)" : "") + ". Do not rely on this statement; ask the contractor, or run hourproof verify on the bundle.";
    } else if (unsupported) {
      state = "unsupported";
      title = "Partly checked \u2014 " + unsupported.detail;
      detail = (checks.length > 1 ? "Everything else was checked and passed; the signatures were not. " : "Nothing could be checked here. ") + "Open the page in a current Chrome, Edge, Firefox or Safari, or run hourproof verify.";
    } else {
      state = "verified";
      title = "Verified in this browser";
      const complete = checks.some((c) => c.name === "completeness" && c.ok && !c.detail.startsWith("no completeness"));
      detail = "Every checkpoint signature, inclusion proof and consistency proof checks out, " +
        (complete ? "no record about this client was left out, " : "") +
        "and every figure on this page equals the sum of the verified entries. Compare the key fingerprint with the one in your contract.";
    }
    v.setAttribute("data-state", state);
    v.replaceChildren(el("div", "vt", title), el("div", "vd", detail));
    const tsNote = document.getElementById("ts-note");
    if (tsNote) tsNote.hidden = false;
    const list = document.getElementById("check-list");
    if (list && failed) list.parentElement.open = true;
    if (list) {
      list.replaceChildren(...checks.map((c) => {
        const li = el("li", c.ok === true ? "ok" : c.ok === null ? "skip" : "bad");
        li.append(el("b", "", c.name + ": "), document.createTextNode(c.detail));
        if (c.ms !== undefined) li.setAttribute("data-ms", String(Math.round(c.ms)));
        return li;
      }));
    }
  }
  function wireFingerprint() {
    const input = document.getElementById("fpr-input");
    const out = document.getElementById("fpr-result");
    const shown = document.querySelector("[data-row=meta] [data-f=fpr]");
    if (!input || !out || !shown) return;
    input.addEventListener("input", () => {
      const given = input.value.trim().replace(/^SHA256:/i, "").replace(/=+$/, "");
      const mine = shown.textContent.replace(/^SHA256:/, "");
      if (!given) { out.textContent = ""; out.className = ""; return; }
      const ok = given === mine;
      out.textContent = ok ? "\u2714 matches" : "\u2718 does not match: this is not the key in your contract";
      out.className = ok ? "match" : "mismatch";
    });
  }

  async function readData(node) {
    if (node.getAttribute("data-encoding") !== "gzip+base64") throw new Error("unknown encoding");
    if (typeof DecompressionStream === "undefined") return null;
    const packed = b64decode(node.textContent, "embedded data");
    // the whole input in one write, the output decoded chunk by chunk as it comes:
    // about half the main-thread time of Blob.stream() piped into Response.text()
    const inflate = new DecompressionStream("gzip");
    const writer = inflate.writable.getWriter();
    writer.write(packed).catch(() => {});
    writer.close().catch(() => {});
    const reader = inflate.readable.getReader();
    const decoder = new TextDecoder(); // replacing bad bytes, as Response.text() did
    let text = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    text += decoder.decode();
    return JSON.parse(text);
  }

  async function main() {
    document.documentElement.classList.add("js");
    wireFingerprint();
    const v = document.getElementById("verdict");
    v.replaceChildren(el("div", "vt", "Checking\u2026"));
    const t0 = performance.now();
    v.setAttribute("data-start", String(Math.round(t0)));
    // let the browser paint the statement (and "Checking…") first: the checks below run
    // without yielding, and a client should be able to read while they run. A browser
    // that runs no frame soon (a hidden tab, headless virtual time) starts after 100 ms.
    await new Promise((resolve) => {
      if (typeof requestAnimationFrame === "function") requestAnimationFrame(() => setTimeout(resolve, 0));
      setTimeout(resolve, 100);
    });
    let checks;
    try {
      const data = await readData(document.getElementById("hp-data"));
      checks = data === null
        ? [{ name: "embedded data", ok: null, detail: "this browser cannot inflate the embedded data (no DecompressionStream)" }]
        : await run(data);
    } catch (e) {
      checks = [{ name: "embedded data", ok: false, detail: "cannot be read (" + e.message + ")" }];
    }
    showVerdict(checks);
    v.setAttribute("data-ms", String(Math.round(performance.now() - t0)));
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", main);
  else main();
})();
