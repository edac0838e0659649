import { Worker } from 'node:worker_threads';
import { startWorkerThread } from '../system/worker-thread';
import { ExportThreadData, FromExportThread, SpanRecord, ToExportThread } from './span-record';

/** Spans handed over at least this often, and at once when this many wait. */
const HAND_OVER_MS = 200;
const HAND_OVER_AT = 2_048;
/** Spans handed over and not yet taken beyond which new ones are dropped (and counted), as the SDK's own queue does. */
const MAX_IN_FLIGHT = 100_000;

/**
 * The thread that exports spans: the request path only records each finished span (SpanRecord)
 * and hands them over in batches; the OpenTelemetry SDK makes and exports them on a worker thread
 * of its own, so that neither its span objects nor its exporting weigh on the work traced.
 */
export class SpanExportThread {
  private readonly worker: Worker;
  private waiting: SpanRecord[] = [];
  private inFlight = 0;
  /** Flushes waiting for the thread, by the number each was sent with. */
  private readonly flushes = new Map<number, () => void>();
  private lastFlush = 0;
  private readonly timer: NodeJS.Timeout;
  private closing = false;
  /** Spans dropped because the thread fell too far behind or failed. */
  dropped = 0;
  /** Why the thread ended before it was shut down, if it did: spans are dropped from then on. */
  failure: Error | undefined;

  constructor(
    data: ExportThreadData,
    private readonly onFailure: (error: Error) => void,
  ) {
    this.worker = startWorkerThread(__dirname, 'span-export.thread', data);
    this.worker.on('message', (message: FromExportThread) => {
      if (message.kind === 'taken') this.inFlight -= message.count;
      else this.answerFlushes(message.id);
    });
    this.worker.once('error', (error) => this.failed(error));
    this.worker.once('exit', (code) => {
      if (!this.closing) this.failed(new Error(`span export thread exited with code ${code}`));
      this.dropped += this.waiting.length;
      this.waiting = [];
      this.answerFlushes(Infinity);
    });
    this.worker.unref();
    this.timer = setInterval(() => this.handOver(), HAND_OVER_MS);
    this.timer.unref();
  }

  record(span: SpanRecord): void {
    if (this.failure || this.inFlight + this.waiting.length >= MAX_IN_FLIGHT) {
      this.dropped++;
      return;
    }
    this.waiting.push(span);
    if (this.waiting.length >= HAND_OVER_AT) this.handOver();
  }

  /** Hands over what waits and resolves once the thread has exported everything it holds. */
  flush(): Promise<void> {
    this.handOver();
    if (this.failure) return Promise.resolve();
    // Held by a flush, the thread keeps the process alive until it is done.
    this.worker.ref();
    const id = ++this.lastFlush;
    return new Promise((resolve) => {
      this.flushes.set(id, resolve);
      this.send({ kind: 'flush', id });
    });
  }

  /** The thread exported everything it was handed before flush `id`, and so before every earlier one. */
  private answerFlushes(id: number): void {
    for (const [waiting, resolve] of this.flushes)
      if (waiting <= id) {
        this.flushes.delete(waiting);
        resolve();
      }
    if (this.flushes.size === 0) this.worker.unref();
  }

  async shutdown(): Promise<void> {
    clearInterval(this.timer);
    await Promise.race([this.flush(), new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
    this.closing = true;
    await this.worker.terminate();
  }

  private failed(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.onFailure(error);
  }

  private handOver(): void {
    if (this.waiting.length === 0 || this.failure) return;
    const spans = this.waiting;
    this.waiting = [];
    this.inFlight += spans.length;
    this.send({ kind: 'spans', spans });
  }

  private send(message: ToExportThread): void {
    this.worker.postMessage(message);
  }
}
