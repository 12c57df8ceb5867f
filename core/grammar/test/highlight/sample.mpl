##! Sample for the highlight tests: one of each construct the query colours.
import Billing.Tax
from Billing.Tax import rate, round_cents

#= block =#
pub struct Point do
  table "points"
  x :: Int
end deriving(Eq)

type Shape do
  Circle(Float)
end

supervisor AppSup do
  strategy: one_for_one
end

service Counter do
  call Get() :: Int do |s| (s, s) end
end

impl Describe for Point do
  fn describe(self) -> String do "pt\n" end
end

fn main(limit :: Int) do
  let total = Process.whereis("mesher_registry")
  let m = %{"a" => 0xFF, b: 3.5}
  let p = Point { x: 1 }
  let ok = true and limit > 0
  query(total, limit: 10) |> IO.println()
  let pick = fn Some(kept) when kept > 0 -> kept | None -> 0 end
  let twice = fn tw do tw * 2 end
  case p do
    Circle(r) -> r
    _ -> 0
  end
end
