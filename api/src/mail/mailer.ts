import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Logger } from '../logger.ts';

/** One outgoing message. Plain text only: account mail is links and a few lines. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
  /** `smtp` or `outbox` (messages written to a folder and the log, for the embedded default). */
  readonly kind: 'smtp' | 'outbox';
}

export interface MailerOptions {
  smtpUrl: string | undefined;
  from: string;
  outboxDir: string;
  logger: Logger;
}

/** SMTP through nodemailer when configured; otherwise `.eml` files in the outbox folder plus a log line, so flows work end to end. */
export function createMailer(o: MailerOptions): Mailer {
  if (o.smtpUrl) {
    const transport = nodemailer.createTransport(o.smtpUrl);
    return {
      kind: 'smtp',
      async send(mail) {
        await transport.sendMail({ from: o.from, ...mail });
      },
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  let seq = 0;
  return {
    kind: 'outbox',
    async send(mail) {
      const info = await transport.sendMail({ from: o.from, ...mail });
      await mkdir(o.outboxDir, { recursive: true });
      const file = path.join(o.outboxDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}-${seq++}.eml`);
      await writeFile(file, info.message as Buffer);
      o.logger.info({ to: mail.to, subject: mail.subject, file, text: mail.text }, 'e-mail written to the outbox (no SMTP configured)');
    },
  };
}
