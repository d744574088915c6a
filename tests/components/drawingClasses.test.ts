import { describe, expect, it } from 'vitest';
import { MAX_CLASSES, classNameProblem, newClassName, parseClassList } from '@/components/lesson/drawingClasses';

describe('class names', () => {
  it('reads the author\'s list: trimmed, without blanks or repeats, at most ten', () => {
    expect(parseClassList('circle, cross')).toEqual(['circle', 'cross']);
    expect(parseClassList(' circle ,, Circle, cross ,')).toEqual(['circle', 'cross']);
    expect(parseClassList(Array.from({ length: 12 }, (_, i) => `c${i}`).join(','))).toHaveLength(MAX_CLASSES);
    expect(parseClassList(undefined)).toEqual(['class 1', 'class 2']);
    expect(parseClassList(' , ')).toEqual(['class 1', 'class 2']);
  });

  it('says why a name cannot be used', () => {
    expect(classNameProblem('square', ['circle', 'cross'])).toBeNull();
    expect(classNameProblem('  ', ['circle'])).toMatch(/needs a name/);
    expect(classNameProblem(' Circle ', ['circle'])).toMatch(/already a class called “Circle”/);
    expect(classNameProblem('x'.repeat(31), [])).toMatch(/at most 30 characters/);
  });

  it('suggests an unused name for a new class', () => {
    expect(newClassName(['circle', 'cross'])).toBe('class 3');
    expect(newClassName(['class 2', 'class 3'])).toBe('class 4');
  });
});
