import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypts signing keys at rest: AES-256-GCM with a key derived (HKDF-SHA256) from TICKET_SIGNING_SECRET, a random
 * 96-bit IV per key, and the key id as associated data (a ciphertext moved to another row does not decrypt).
 * Stored as iv ‖ tag ‖ ciphertext.
 */
export class KeyVault {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = Buffer.from(hkdfSync("sha256", secret, "rail-ticket-signing", "private-key-encryption", 32));
  }

  seal(plaintext: Uint8Array, kid: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(kid, "utf8"));
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]);
  }

  /** Throws when the secret is not the one the key was sealed with (or the row was tampered with). */
  open(sealed: Uint8Array, kid: string): Buffer {
    const buf = Buffer.from(sealed);
    const iv = buf.subarray(0, IV_BYTES);
    const tag = buf.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv("aes-256-gcm", this.key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(kid, "utf8"));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(buf.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  }
}
