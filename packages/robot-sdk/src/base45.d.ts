// The `base45` package (RFC 9285 codec) ships no types.
declare module "base45" {
  export function encode(data: Uint8Array | string): string;
  export function decode(text: string): Buffer;
}
