class VisitsController < ApplicationController
  GREETING = "hello"

  # Each request inserts a row in Postgres, then counts the rows.
  def index
    Visit.create!
    render plain: "#{GREETING} from rails: visits=#{Visit.count}"
  end
end
