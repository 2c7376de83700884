import type { Database } from '../../db/types.ts';
import { NOTIFICATION_CHANNEL, type HubMessage } from './notifier.repo.ts';

type Listener = (message: HubMessage) => void;

/**
 * One LISTEN per process on the notification channel, fanned out to this process's streams.
 * Messages carry only an account id (new deliveries) or a user id (read state changed); each
 * stream reads from its own cursor, so a lost or repeated message never loses or repeats one.
 */
export class NotificationHub {
  private readonly listeners = new Set<Listener>();
  private unlisten: Promise<() => Promise<void>> | undefined;

  constructor(private readonly database: Database) {}

  async subscribe(listener: Listener): Promise<() => void> {
    this.unlisten ??= this.database
      .listen(NOTIFICATION_CHANNEL, (payload) => this.dispatch(payload))
      .catch((err: unknown) => {
        this.unlisten = undefined; // the next stream tries again
        throw err;
      });
    await this.unlisten;
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private dispatch(payload: string): void {
    let message: HubMessage;
    try {
      message = JSON.parse(payload) as HubMessage;
    } catch {
      return;
    }
    for (const listener of this.listeners) listener(message);
  }

  async close(): Promise<void> {
    const unlisten = await this.unlisten;
    await unlisten?.();
  }
}
