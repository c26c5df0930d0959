// A multi-step quick input with Back, a title and step counter on every step, and validation, after
// the multi-step sample of microsoft/vscode-extension-samples (quickinput-sample/src/multiStepInput.ts,
// MIT): each step shows one quick pick or input box and returns the next step; Back pops to the
// previous one. When the input is hidden (Escape), `shouldResume` decides between showing the same
// step again and ending the flow, so answers are never dropped without the user saying so.
import * as vscode from 'vscode';

export class InputFlowAction {
  static readonly back = new InputFlowAction();
  static readonly cancel = new InputFlowAction();
  static readonly resume = new InputFlowAction();
}

export type InputStep = (input: MultiStepInput) => Thenable<InputStep | void>;

interface Common {
  title: string;
  step: number;
  totalSteps: number;
}

export interface QuickPickParameters<T extends vscode.QuickPickItem> extends Common {
  items: T[];
  activeItem?: T | undefined;
  placeholder: string;
}

/** A validation result: an error keeps Enter from accepting, a warning does not. */
export type Validation = { message: string; severity: 'error' | 'warning' } | undefined;

export interface InputBoxParameters extends Common {
  value: string;
  prompt: string;
  placeholder?: string;
  validate: (value: string) => Validation;
}

export class MultiStepInput {
  private current: vscode.QuickInput | undefined;
  private readonly steps: InputStep[] = [];

  private constructor(private readonly shouldResume: () => Thenable<boolean>) {}

  /** Runs the flow from `start`; resolves when a step returns no next step, or the flow was cancelled. */
  static async run(start: InputStep, shouldResume: () => Thenable<boolean>): Promise<void> {
    const input = new MultiStepInput(shouldResume);
    await input.stepThrough(start);
  }

  /** Whether Back has somewhere to go (the first step has no Back button). */
  get canGoBack(): boolean {
    return this.steps.length > 1;
  }

  /** Hides the current step before something else takes the screen (a folder dialog), without asking to resume. */
  hideCurrent(): void {
    this.current?.dispose();
    this.current = undefined;
  }

  private async stepThrough(start: InputStep): Promise<void> {
    let step: InputStep | void = start;
    while (step) {
      this.steps.push(step);
      if (this.current) {
        this.current.enabled = false;
        this.current.busy = true;
      }
      try {
        step = await step(this);
      } catch (err) {
        if (err === InputFlowAction.back) {
          this.steps.pop();
          step = this.steps.pop();
        } else if (err === InputFlowAction.resume) {
          step = this.steps.pop();
        } else if (err === InputFlowAction.cancel) {
          step = undefined;
        } else {
          this.hideCurrent();
          throw err;
        }
      }
    }
    this.hideCurrent();
  }

  async showQuickPick<T extends vscode.QuickPickItem>(p: QuickPickParameters<T>): Promise<T> {
    const disposables: vscode.Disposable[] = [];
    try {
      return await new Promise<T>((resolve, reject) => {
        const input = vscode.window.createQuickPick<T>();
        input.title = p.title;
        input.step = p.step;
        input.totalSteps = p.totalSteps;
        input.placeholder = p.placeholder;
        input.ignoreFocusOut = true;
        input.matchOnDescription = true;
        input.matchOnDetail = true;
        input.items = p.items;
        if (p.activeItem) input.activeItems = [p.activeItem];
        input.buttons = this.canGoBack ? [vscode.QuickInputButtons.Back] : [];
        disposables.push(
          input.onDidTriggerButton((b) => { if (b === vscode.QuickInputButtons.Back) reject(InputFlowAction.back); }),
          input.onDidChangeSelection((items) => { if (items[0]) resolve(items[0]); }),
          input.onDidHide(() => this.onHide(reject)),
        );
        this.replaceCurrent(input);
      });
    } finally {
      disposables.forEach((d) => d.dispose());
    }
  }

  async showInputBox(p: InputBoxParameters): Promise<string> {
    const disposables: vscode.Disposable[] = [];
    try {
      return await new Promise<string>((resolve, reject) => {
        const input = vscode.window.createInputBox();
        input.title = p.title;
        input.step = p.step;
        input.totalSteps = p.totalSteps;
        input.value = p.value;
        input.prompt = p.prompt;
        input.placeholder = p.placeholder;
        input.ignoreFocusOut = true;
        input.buttons = this.canGoBack ? [vscode.QuickInputButtons.Back] : [];
        const show = (v: Validation): void => {
          input.validationMessage = v === undefined ? undefined : {
            message: v.message,
            severity: v.severity === 'error' ? vscode.InputBoxValidationSeverity.Error : vscode.InputBoxValidationSeverity.Warning,
          };
        };
        show(p.value ? p.validate(p.value) : undefined);
        disposables.push(
          input.onDidTriggerButton((b) => { if (b === vscode.QuickInputButtons.Back) reject(InputFlowAction.back); }),
          input.onDidChangeValue((text) => show(p.validate(text))),
          input.onDidAccept(() => {
            const v = p.validate(input.value);
            show(v);
            if (v?.severity !== 'error') resolve(input.value);
          }),
          input.onDidHide(() => this.onHide(reject)),
        );
        this.replaceCurrent(input);
      });
    } finally {
      disposables.forEach((d) => d.dispose());
    }
  }

  private replaceCurrent(input: vscode.QuickInput): void {
    this.current?.dispose();
    this.current = input;
    input.show();
  }

  private onHide(reject: (reason: InputFlowAction) => void): void {
    void Promise.resolve(this.shouldResume()).then(
      (resume) => reject(resume ? InputFlowAction.resume : InputFlowAction.cancel),
      () => reject(InputFlowAction.cancel));
  }
}
