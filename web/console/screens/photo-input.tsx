import type { ConsoleMessages } from '../messages.js';

/** One photo from the camera (or the gallery, where the phone offers it); the file is kept until the entry is sent. */
export function PhotoInput({ m, id, photo, onPhoto }: { m: ConsoleMessages; id: string; photo: File | null; onPhoto: (file: File | null) => void }) {
  return (
    <label class="file" for={id}>
      <strong>{m.photo}</strong>
      <br />
      {photo ? m.photoChosen(photo.name) : m.takePhoto}
      <input id={id} type="file" accept="image/*" capture="environment" onChange={(e) => onPhoto(e.currentTarget.files?.[0] ?? null)} />
    </label>
  );
}
