import { useState } from 'preact/hooks';
import type { ConsoleMessages } from '../messages.js';
import type { NewOutboxEntry } from '../outbox.js';
import { refusalOf } from '../refusal.js';
import { PhotoInput } from './photo-input.js';
import { DiscardButton, FieldReason, RefusedNotice, type RefusedEntry } from './refused-entry.js';
import { ScreenHeading } from './screen-heading.js';

interface Props {
  m: ConsoleMessages;
  refused: RefusedEntry;
  onSave: (entries: NewOutboxEntry[]) => Promise<void>;
}

/** A photo upload the server refused (its file, its type or its size): send it again, another photo, or discard it. */
export function PhotoFixScreen({ m, refused, onSave }: Props) {
  const { item } = refused;
  const why = refusalOf('photo', item);
  const [photo, setPhoto] = useState<File | null>(null);
  const [saving, setSaving] = useState(false);

  const save = async (event: Event) => {
    event.preventDefault();
    setSaving(true);
    const chosen = photo ?? item.photo;
    await onSave([{ kind: 'photo', path: item.path, photo: chosen, photoName: photo?.name ?? item.photoName }]);
  };

  return (
    <form onSubmit={save}>
      <ScreenHeading>{m.photoFixHeading}</ScreenHeading>
      {why ? <RefusedNotice m={m} refused={refused} refusal={why} /> : null}
      {item.photoName && !photo ? <p>{m.photoInEntry(item.photoName)}</p> : null}
      <PhotoInput m={m} id="fix-photo" photo={photo} onPhoto={setPhoto} />
      <FieldReason m={m} reasons={why?.fields.photo} id="fix-photo-reason" />
      <div class="actions">
        <a class="button" href="#/sync">
          {m.cancel}
        </a>
        <button class="primary" type="submit" disabled={saving || !(photo ?? item.photo)}>
          {m.resend}
        </button>
      </div>
      <DiscardButton m={m} waiting={refused.waiting.length} onDiscard={refused.onDiscard} />
    </form>
  );
}
