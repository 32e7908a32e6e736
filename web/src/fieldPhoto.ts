// A visit's photo made small on the device before it is queued: drawn on a canvas at most 1600 px
// on its longer side and saved as JPEG, lowering the quality until it fits the plan's limit
// (photo_max_bytes, 2 MiB by default). A phone's 12-megapixel photo becomes ~300 KB, which a weak
// signal can still carry. The queue keeps it as base64, as the upload sends it.

export const MAX_PHOTO_PX = 1600;

// The size of a w×h image scaled to at most `max` px on its longer side (never enlarged).
export function scaledSize(w: number, h: number, max = MAX_PHOTO_PX): { width: number; height: number } {
  const scale = Math.min(1, max / Math.max(w, h, 1));
  return { width: Math.max(1, Math.round(w * scale)), height: Math.max(1, Math.round(h * scale)) };
}

// The bytes a base64 text stands for.
export function base64Bytes(b64: string): number {
  const pad = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return Math.floor((b64.length * 3) / 4) - pad;
}

function blobToBase64(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

async function decode(file: Blob): Promise<CanvasImageSource & { width: number; height: number }> {
  if (typeof createImageBitmap === 'function') return createImageBitmap(file);
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    return img;
  } finally {
    URL.revokeObjectURL(url);
  }
}

// The photo as JPEG base64, ≤ MAX_PHOTO_PX and ≤ maxBytes. Throws when the file is not an image
// the browser can read.
export async function downsizePhoto(file: Blob, maxBytes = 2 * 1024 * 1024): Promise<string> {
  const image = await decode(file);
  const { width, height } = scaledSize(image.width, image.height);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('canvas');
  ctx.fillStyle = '#fff';  // a transparent PNG gets a white background, not black
  ctx.fillRect(0, 0, width, height);
  ctx.drawImage(image, 0, 0, width, height);
  for (let quality = 0.85; ; quality -= 0.15) {
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', Math.max(quality, 0.3)));
    if (!blob) throw new Error('toBlob');
    const b64 = await blobToBase64(blob);
    if (base64Bytes(b64) <= maxBytes || quality <= 0.3) return b64;
  }
}
