import type { PlaceStatus } from "../api/types.js";

export interface SeatMapWagon {
  number: number;
  seats: number;
  places: { number: number; status: PlaceStatus }[];
}

/** Seats per row on either side of the aisle (2 + 2, as in a coach). */
const SIDE = 2;

/** Rows of a wagon: each row is [left seats, right seats]; numbering runs along the wagon. */
export function seatRows(seats: number): number[][][] {
  const rows: number[][][] = [];
  for (let first = 1; first <= seats; first += SIDE * 2) {
    const left = [first, first + 1].filter((n) => n <= seats);
    const right = [first + 2, first + 3].filter((n) => n <= seats);
    rows.push([left, right]);
  }
  return rows;
}

/**
 * A wagon's seats as buttons: free seats can be picked, held and taken ones are shown but disabled. Every
 * seat says its number and state to screen readers (`label`), and the picked one is aria-pressed.
 */
export function SeatMap({
  wagon,
  selected,
  onSelect,
  label,
}: {
  wagon: SeatMapWagon;
  selected: number | null;
  onSelect: (place: number) => void;
  label: (place: number, status: PlaceStatus) => string;
}) {
  const status = new Map(wagon.places.map((p) => [p.number, p.status]));
  return (
    <div className="seat-map" role="group" aria-label={`${wagon.number}`}>
      {seatRows(wagon.seats).map(([left, right], row) => (
        <div className="seat-row" key={row}>
          {[left!, right!].map((side, i) => (
            <div className="seat-side" key={i}>
              {side.map((n) => {
                const s = status.get(n) ?? "taken";
                return (
                  <button
                    key={n}
                    type="button"
                    className={`seat ${s}${selected === n ? " selected" : ""}`}
                    disabled={s !== "free"}
                    aria-pressed={selected === n}
                    aria-label={label(n, s)}
                    onClick={() => onSelect(n)}
                  >
                    {n}
                  </button>
                );
              })}
            </div>
          ))}
        </div>
      ))}
    </div>
  );
}
