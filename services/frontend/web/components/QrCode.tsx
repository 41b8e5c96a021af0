import QRCode from "qrcode";
import { useEffect, useState } from "react";

/** A QR code of `value` (the ticket code robots scan), drawn as a PNG data URL. */
export function QrCode({ value, size, alt }: { value: string; size: number; alt: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void QRCode.toDataURL(value, { errorCorrectionLevel: "M", margin: 2, width: size }).then(
      (url) => live && setSrc(url),
    );
    return () => {
      live = false;
    };
  }, [value, size]);
  return src ? (
    <img className="qr" src={src} alt={alt} width={size} height={size} />
  ) : (
    <div className="qr" style={{ width: size, height: size }} />
  );
}
