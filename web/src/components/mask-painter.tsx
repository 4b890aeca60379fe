import type { RefObject } from 'preact';
import { useRef, useState } from 'preact/hooks';
import type { Image } from '../api/types.ts';
import { imageAlt } from '../lib/image-text.ts';

export type Tool = 'brush' | 'eraser';

interface MaskPainterProps {
  readonly image: Image;
  /** The painted strokes, at the source image's size: opaque where the edit should happen. */
  readonly canvas: RefObject<HTMLCanvasElement | null>;
}

/**
 * Paints the area to edit over the image. The canvas has the source's own pixel size and
 * is only scaled by CSS, so the mask made from it matches the source exactly. Nothing
 * from the image is drawn into the canvas: it may come from another origin, and reading
 * a canvas that holds it would be refused.
 */
export function MaskPainter({ image, canvas }: MaskPainterProps) {
  const [tool, setTool] = useState<Tool>('brush');
  const [size, setSize] = useState(Math.round(Math.max(image.width, image.height) / 16));
  const last = useRef<{ x: number; y: number } | undefined>(undefined);

  const point = (event: PointerEvent) => {
    const element = canvas.current!;
    const box = element.getBoundingClientRect();
    return {
      x: ((event.clientX - box.left) * element.width) / box.width,
      y: ((event.clientY - box.top) * element.height) / box.height,
    };
  };

  const paint = (event: PointerEvent) => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    const to = point(event);
    const from = last.current ?? to;
    context.globalCompositeOperation = tool === 'brush' ? 'source-over' : 'destination-out';
    context.strokeStyle = '#ff0066';
    context.lineWidth = size;
    context.lineCap = 'round';
    context.lineJoin = 'round';
    context.beginPath();
    context.moveTo(from.x, from.y);
    context.lineTo(to.x + 0.01, to.y);
    context.stroke();
    last.current = to;
  };

  return (
    <div class="mask-painter">
      <fieldset class="toolbar">
        <legend>Mask</legend>
        <label class="tool">
          <input type="radio" name="tool" checked={tool === 'brush'} onChange={() => setTool('brush')} />{' '}
          Brush
        </label>
        <label class="tool">
          <input type="radio" name="tool" checked={tool === 'eraser'} onChange={() => setTool('eraser')} />{' '}
          Eraser
        </label>
        <label class="tool">
          Brush size: {size} px
          <input
            type="range"
            min={4}
            max={Math.round(Math.max(image.width, image.height) / 4)}
            value={size}
            onInput={(event) => setSize(Number(event.currentTarget.value))}
          />
        </label>
        <button
          type="button"
          class="button secondary small"
          onClick={() => {
            const element = canvas.current;
            element?.getContext('2d')?.clearRect(0, 0, element.width, element.height);
          }}
        >
          Clear the mask
        </button>
      </fieldset>
      <div class="mask-stage">
        <img src={image.urls.original} alt={imageAlt(image)} width={image.width} height={image.height} />
        <canvas
          ref={canvas}
          width={image.width}
          height={image.height}
          aria-label="Paint over the parts of the image to change"
          onPointerDown={(event) => {
            event.currentTarget.setPointerCapture(event.pointerId);
            last.current = undefined;
            paint(event);
          }}
          onPointerMove={(event) => {
            if (event.currentTarget.hasPointerCapture(event.pointerId)) paint(event);
          }}
          onPointerUp={() => {
            last.current = undefined;
          }}
        />
      </div>
    </div>
  );
}

/**
 * The mask as the API wants it: a PNG of the source's size, transparent where the edit
 * should happen and opaque elsewhere. Undefined when nothing is painted.
 */
export async function maskPng(strokes: HTMLCanvasElement): Promise<Blob | undefined> {
  const pixels = strokes.getContext('2d')?.getImageData(0, 0, strokes.width, strokes.height).data;
  let painted = false;
  for (let index = 3; pixels && index < pixels.length; index += 4) {
    if (pixels[index]! > 0) {
      painted = true;
      break;
    }
  }
  if (!painted) return undefined;
  const mask = document.createElement('canvas');
  mask.width = strokes.width;
  mask.height = strokes.height;
  const context = mask.getContext('2d')!;
  context.fillStyle = '#000';
  context.fillRect(0, 0, mask.width, mask.height);
  context.globalCompositeOperation = 'destination-out';
  context.drawImage(strokes, 0, 0);
  return new Promise((resolve, reject) =>
    mask.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('The mask could not be made into a PNG.'))),
      'image/png',
    ),
  );
}
