// A minimal Chrome DevTools Protocol client for the browser test: launches headless Chromium, speaks
// WebSocket over node:net (RFC 6455 client side), and nothing else. No npm packages, any node >= 18.

import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

// Flags every run uses: no sandbox (CI containers run as root), no network services, a fresh profile.
export const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage', '--disable-extensions', '--disable-default-apps', '--mute-audio',
  '--host-resolver-rules=MAP * ~NOTFOUND', '--hide-scrollbars',
];

export function findChromium() {
  const candidates = [process.env.CHROMIUM, 'chromium', 'chromium-browser', 'google-chrome'].filter(Boolean);
  for (const name of candidates) {
    if (name.includes('/')) {
      if (fs.existsSync(name)) return name;
      continue;
    }
    for (const dir of (process.env.PATH || '').split(path.delimiter)) {
      const full = path.join(dir, name);
      try {
        fs.accessSync(full, fs.constants.X_OK);
        return full;
      } catch { /* not here */ }
    }
  }
  return null;
}

class WebSocketClient {
  constructor(socket) {
    this.socket = socket;
    this.buffer = Buffer.alloc(0);
    this.fragments = [];
    this.onmessage = () => {};
    this.onclose = () => {};
    socket.on('data', (chunk) => this.#receive(chunk));
    socket.on('close', () => this.onclose());
    socket.on('error', () => this.onclose());
  }

  static connect(url) {
    const u = new URL(url);
    return new Promise((resolve, reject) => {
      const socket = net.connect(Number(u.port), u.hostname);
      const key = crypto.randomBytes(16).toString('base64');
      let head = Buffer.alloc(0);
      const onData = (chunk) => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        socket.off('data', onData);
        const status = head.subarray(0, end).toString('latin1');
        if (!/^HTTP\/1\.1 101/.test(status)) {
          reject(new Error(`WebSocket upgrade refused: ${status.split('\r\n')[0]}`));
          socket.destroy();
          return;
        }
        const client = new WebSocketClient(socket);
        const rest = head.subarray(end + 4);
        if (rest.length) client.#receive(rest);
        resolve(client);
      };
      socket.on('data', onData);
      socket.once('error', reject);
      socket.on('connect', () => {
        socket.write(`GET ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\n` +
          `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
      });
    });
  }

  send(text) {
    const payload = Buffer.from(text, 'utf8');
    const mask = crypto.randomBytes(4);
    let header;
    if (payload.length < 126) {
      header = Buffer.from([0x81, 0x80 | payload.length]);
    } else if (payload.length < 65536) {
      header = Buffer.alloc(4);
      header[0] = 0x81; header[1] = 0x80 | 126; header.writeUInt16BE(payload.length, 2);
    } else {
      header = Buffer.alloc(10);
      header[0] = 0x81; header[1] = 0x80 | 127; header.writeBigUInt64BE(BigInt(payload.length), 2);
    }
    const masked = Buffer.alloc(payload.length);
    for (let i = 0; i < payload.length; i++) masked[i] = payload[i] ^ mask[i & 3];
    this.socket.write(Buffer.concat([header, mask, masked]));
  }

  close() { this.socket.destroy(); }

  #receive(chunk) {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (this.buffer.length < 2) return;
      const fin = (this.buffer[0] & 0x80) !== 0;
      const opcode = this.buffer[0] & 0x0f;
      let length = this.buffer[1] & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (this.buffer.length < 4) return;
        length = this.buffer.readUInt16BE(2); offset = 4;
      } else if (length === 127) {
        if (this.buffer.length < 10) return;
        length = Number(this.buffer.readBigUInt64BE(2)); offset = 10;
      }
      if (this.buffer.length < offset + length) return;
      const payload = this.buffer.subarray(offset, offset + length);
      this.buffer = this.buffer.subarray(offset + length);
      if (opcode === 0x8) { this.close(); return; }
      if (opcode === 0x9) continue;  // ping: Chromium does not require pongs from DevTools clients
      if (opcode === 0x1 || opcode === 0x0) {
        this.fragments.push(Buffer.from(payload));
        if (fin) {
          const text = Buffer.concat(this.fragments).toString('utf8');
          this.fragments = [];
          this.onmessage(text);
        }
      }
    }
  }
}

/// One headless Chromium with one page, driven over the DevTools protocol.
export class Browser {
  static async launch(executable, { timeoutMs = 30000 } = {}) {
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'upliftctl-chromium-'));
    const child = spawn(executable, [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, '--remote-debugging-port=0',
      '--window-size=1280,900', 'about:blank'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    const portFile = path.join(profile, 'DevToolsActivePort');
    const start = Date.now();
    while (!fs.existsSync(portFile) || fs.readFileSync(portFile, 'utf8').split('\n').length < 2) {
      if (child.exitCode !== null) throw new Error(`chromium exited early (${child.exitCode}): ${stderr.slice(-800)}`);
      if (Date.now() - start > timeoutMs) throw new Error(`chromium did not start in time: ${stderr.slice(-800)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const port = Number(fs.readFileSync(portFile, 'utf8').split('\n')[0]);
    let targets = [];
    while (!targets.some((t) => t.type === 'page')) {
      if (Date.now() - start > timeoutMs) throw new Error('chromium opened no page');
      targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
      if (!targets.some((t) => t.type === 'page')) await new Promise((r) => setTimeout(r, 50));
    }
    const ws = await WebSocketClient.connect(targets.find((t) => t.type === 'page').webSocketDebuggerUrl);
    return new Browser(child, profile, ws);
  }

  constructor(child, profile, ws) {
    this.child = child;
    this.profile = profile;
    this.ws = ws;
    this.nextId = 1;
    this.pending = new Map();
    this.listeners = [];
    ws.onmessage = (text) => {
      const msg = JSON.parse(text);
      if (msg.id && this.pending.has(msg.id)) {
        const { resolve, reject } = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        if (msg.error) reject(new Error(`${msg.error.message} ${msg.error.data || ''}`));
        else resolve(msg.result);
      } else if (msg.method) {
        for (const l of this.listeners) l(msg.method, msg.params);
      }
    };
  }

  send(method, params = {}) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  on(listener) { this.listeners.push(listener); }

  waitFor(method, timeoutMs = 20000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${method}`)), timeoutMs);
      const listener = (m, params) => {
        if (m !== method) return;
        clearTimeout(timer);
        this.listeners.splice(this.listeners.indexOf(listener), 1);
        resolve(params);
      };
      this.listeners.push(listener);
    });
  }

  /// Evaluates an expression in the page and returns its value (JSON-serialisable).
  async eval(expression) {
    const r = await this.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true });
    if (r.exceptionDetails) throw new Error(`page script failed: ${r.exceptionDetails.text} ${expression}`);
    return r.result.value;
  }

  async navigate(url) {
    const loaded = this.waitFor('Page.loadEventFired');
    const r = await this.send('Page.navigate', { url });
    if (r.errorText) throw new Error(`navigation to ${url} failed: ${r.errorText}`);
    await loaded;
  }

  async close() {
    try { await this.send('Browser.close'); } catch { /* already gone */ }
    this.ws.close();
    await new Promise((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      const timer = setTimeout(() => { this.child.kill('SIGKILL'); resolve(); }, 5000);
      this.child.once('exit', () => { clearTimeout(timer); resolve(); });
    });
    fs.rmSync(this.profile, { recursive: true, force: true });
  }
}
