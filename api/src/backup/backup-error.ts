/** A backup or restore that cannot go on, with a message meant for the operator (the CLIs print it and exit 1). */
export class BackupError extends Error {}
