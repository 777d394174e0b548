import { useId, type ReactNode } from 'react';

/**
 * A table that scrolls sideways on a narrow screen. The scrolling region is named by the table's
 * caption and takes keyboard focus, so it can be scrolled without a mouse.
 */
export function ScrollingTable({ caption, captionClassName, children }: { caption: ReactNode; captionClassName?: string; children: ReactNode }) {
  const captionId = useId();
  return (
    <div className="table-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
      <table>
        <caption id={captionId} className={captionClassName}>
          {caption}
        </caption>
        {children}
      </table>
    </div>
  );
}
