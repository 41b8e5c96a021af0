/**
 * The terminal's identity in this browser: an RSA-OAEP (SHA-256) key pair made by WebCrypto whose private key is
 * non-extractable (no script, not even ours, can read it out), kept in IndexedDB with the enrolment id and store.
 */
export interface Enrolment {
  id: string;
  storeId: string;
  storeName: string;
  privateKey: CryptoKey;
}

const DB = "rail-terminal";
const STORE = "enrolment";
const KEY = "current";

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function run<T>(mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  return new Promise((resolve, reject) => {
    const req = op(db.transaction(STORE, mode).objectStore(STORE));
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  }).finally(() => db.close()) as Promise<T>;
}

export const loadEnrolment = () => run<Enrolment | undefined>("readonly", (s) => s.get(KEY));
export const saveEnrolment = (e: Enrolment) => run("readwrite", (s) => s.put(e, KEY));
export const forgetEnrolment = () => run("readwrite", (s) => s.delete(KEY));

/** A new key pair; the public half as the SPKI PEM the base service enrols. */
export async function newKeyPair(): Promise<{ privateKey: CryptoKey; publicPem: string }> {
  const pair = await crypto.subtle.generateKey(
    { name: "RSA-OAEP", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    false, // the private key can never be exported
    ["decrypt", "encrypt"],
  );
  const spki = new Uint8Array(await crypto.subtle.exportKey("spki", pair.publicKey));
  const b64 = btoa(String.fromCharCode(...spki));
  const lines = b64.match(/.{1,64}/g) ?? [];
  return {
    privateKey: pair.privateKey,
    publicPem: `-----BEGIN PUBLIC KEY-----\n${lines.join("\n")}\n-----END PUBLIC KEY-----\n`,
  };
}

/** The login challenge's answer: the base64 RSA-OAEP ciphertext decrypted with the terminal's private key. */
export async function answerChallenge(privateKey: CryptoKey, data: string): Promise<string> {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const plain = await crypto.subtle.decrypt({ name: "RSA-OAEP" }, privateKey, bytes);
  return new TextDecoder().decode(plain);
}
