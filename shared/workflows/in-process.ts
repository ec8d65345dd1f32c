import type { WorkflowEngine } from './port.ts';

/**
 * Where the local stack registers the in-process engine of each state machine, by name, so the
 * functions' composition root can find it as it finds Step Functions in the cloud (by ARN).
 */
const engines = new Map<string, WorkflowEngine>();

export function registerInProcessWorkflow(name: string, engine: WorkflowEngine): void {
  engines.set(name, engine);
}

export function inProcessWorkflow(name: string): WorkflowEngine {
  const engine = engines.get(name);
  if (!engine) throw new Error(`No in-process engine runs the ${name} workflow; start the local stack.`);
  return engine;
}
